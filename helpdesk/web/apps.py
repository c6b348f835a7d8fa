from django.apps import AppConfig


class WebConfig(AppConfig):
    """The agents' workspace: inbox, ticket page, search (server-rendered pages)."""

    name = "helpdesk.web"
    label = "web"
