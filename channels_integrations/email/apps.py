from django.apps import AppConfig


class EmailChannelConfig(AppConfig):
    name = "channels_integrations.email"
    label = "email_channel"
    verbose_name = "Email channel"

    def ready(self) -> None:
        # Provider delivery callbacks (anymail's tracking signal) update outbound mail;
        # providers' inbound webhooks (anymail's inbound signal) feed the inbound path.
        from channels_integrations.email import tracking, webhooks  # noqa: F401
