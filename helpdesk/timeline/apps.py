from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "helpdesk.timeline"
    label = "timeline"
