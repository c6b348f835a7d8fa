from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "helpdesk.demo"
    label = "demo"
