from django.contrib import admin

from helpdesk.timeline.models import TimelineEntry


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "customer", "kind", "channel", "summary")
    list_filter = ("kind", "channel")
    raw_id_fields = ("customer", "ticket", "message", "order", "actor")
