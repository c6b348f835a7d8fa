from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from django.urls import path

from channels_integrations.email.views import RawEmailInbound

# API.md names provider webhooks /api/v1/inbound/<provider>/: the same anymail views (and
# checks) as under /email/anymail/<provider>/inbound/.
urlpatterns = [
    path("inbound/email/raw/", RawEmailInbound.as_view(), name="inbound-email-raw"),
    path("inbound/mailgun/", MailgunInboundWebhookView.as_view(), name="inbound-mailgun"),
    path("inbound/sendgrid/", SendGridInboundWebhookView.as_view(), name="inbound-sendgrid"),
    path("inbound/postmark/", PostmarkInboundWebhookView.as_view(), name="inbound-postmark"),
    path("inbound/amazon_ses/", AmazonSESInboundWebhookView.as_view(), name="inbound-amazon-ses"),
]
