from django.contrib import admin

from helpdesk.tickets.models import Attachment, Message, Ticket


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    fields = ("direction", "channel", "author", "text", "delivery_status", "sent_at")
    readonly_fields = ("sent_at",)
    raw_id_fields = ("author",)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("id", "subject", "customer", "status", "priority", "owner", "channel", "updated_at")
    list_filter = ("status", "priority", "channel", "team", "store")
    search_fields = ("subject", "customer__name")
    raw_id_fields = ("customer", "owner", "orders")
    inlines = [MessageInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "channel", "direction", "delivery_status", "sent_at")
    list_filter = ("channel", "direction", "delivery_status")
    search_fields = ("text", "external_id")
    raw_id_fields = ("ticket", "customer", "author")
    inlines = [AttachmentInline]
