from django.apps import AppConfig


class EmailChannelConfig(AppConfig):
    name = "channels_integrations.email"
    label = "email_channel"
    verbose_name = "Email channel"
