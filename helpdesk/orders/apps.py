from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "helpdesk.orders"
    label = "orders"
