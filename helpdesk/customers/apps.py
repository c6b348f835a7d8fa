from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "helpdesk.customers"
    label = "customers"
