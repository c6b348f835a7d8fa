from django.contrib import admin

from helpdesk.store.models import ContactReason, StoreContact


@admin.register(ContactReason)
class ContactReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position", "active")
    list_editable = ("position", "active")


@admin.register(StoreContact)
class StoreContactAdmin(admin.ModelAdmin):
    list_display = ("created_at", "store", "staff", "customer", "reason", "outcome", "ticket")
    list_filter = ("store", "outcome", "reason")
    raw_id_fields = ("customer", "ticket", "message", "order")
    date_hierarchy = "created_at"
