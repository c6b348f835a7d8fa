from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "helpdesk.tickets"
    label = "tickets"
