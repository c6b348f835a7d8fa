from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "channels_integrations.shops"
    label = "shops"
    verbose_name = "Shop and point-of-sale sources"
