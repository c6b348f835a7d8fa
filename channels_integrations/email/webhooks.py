"""Inbound mail from email providers (django-anymail): Mailgun, SendGrid, Postmark, SES…

anymail's inbound webhook views check each provider's signature or basic auth and
normalise its payload into an AnymailInboundMessage; this receiver keeps the mail raw
(the provider gets its 200 only once the mail is stored) and queues its processing.
`webhook_require_authenticated` is the guard every anymail receiver calls first.
"""

from __future__ import annotations

import logging
from email import policy

from anymail.signals import AnymailInboundEvent, inbound
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver

from channels_integrations.email import inbound as email_inbound

logger = logging.getLogger(__name__)

# Providers whose webhooks anymail always verifies by signature (Mailgun's view refuses
# to start without its signing key); every other provider authenticates with basic auth
# (ANYMAIL WEBHOOK_SECRET), which anymail silently skips when the secret is unset.
_SIGNED = {"Mailgun"}


def webhook_require_authenticated(esp_name: str, kind: str) -> None:
    """Refuse (403) a provider webhook that nobody authenticated.

    Called first by every anymail signal receiver, before anything is read or written:
    without a signature or the shared secret anyone on the web could post mail or
    forge bounces that suppress a customer's address.
    """
    if esp_name in _SIGNED or settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return
    logger.warning("refused %s %s webhook: ANYMAIL_WEBHOOK_SECRET is not set", kind, esp_name)
    raise PermissionDenied(f"{kind} webhook secret not configured")


@receiver(inbound, dispatch_uid="email-channel-inbound")
def inbound_mail(sender, event: AnymailInboundEvent, esp_name: str, **kwargs) -> None:
    webhook_require_authenticated(esp_name, "inbound")
    message = event.message
    if message is None:
        logger.info("inbound %s webhook without a message ignored", esp_name)
        return
    envelope = [message.envelope_recipient] if getattr(message, "envelope_recipient", None) else []
    with transaction.atomic():
        row = email_inbound.store(_raw_bytes(message), source=esp_name, envelope=envelope)
        from channels_integrations.email.tasks import process_inbound_email

        process_inbound_email.delay_on_commit(row.pk)


def _raw_bytes(message) -> bytes:
    try:
        return message.as_bytes(policy=policy.SMTP)
    except Exception:  # a message anymail assembled from odd form fields
        return message.as_string(policy=policy.SMTP).encode("utf-8", "surrogateescape")
