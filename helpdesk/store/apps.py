from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "helpdesk.store"
    label = "store"
    verbose_name = "Store counter"
