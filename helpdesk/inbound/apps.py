from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "helpdesk.inbound"
    label = "inbound"
