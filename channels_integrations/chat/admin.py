from contextvars import ContextVar

from django.contrib import admin
from django.utils.html import format_html

from channels_integrations.chat.models import ChatConversation, ChatWidget

# This helpdesk's address as the admin user reached it, for the snippet (one value per request).
_base_url: ContextVar[str] = ContextVar("chat_admin_base_url", default="https://YOUR-HELPDESK")


@admin.register(ChatWidget)
class ChatWidgetAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "active", "team", "created_at")
    list_filter = ("active", "team")
    search_fields = ("name", "key")
    readonly_fields = ("key", "snippet", "created_at")
    fields = ("name", "active", "allowed_origins", "team", "greeting", "pre_chat_fields",
              "max_attachment_bytes", "key", "snippet", "created_at")

    @admin.display(description="Script tag for the shop's pages")
    def snippet(self, widget: ChatWidget) -> str:
        if not widget.pk:
            return "Save the widget to get its script tag."
        return format_html("<code>{}</code>", widget.snippet(_base_url.get()))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        reset = _base_url.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # The readonly fields are computed while rendering, so render inside this request's value.
            return response.render() if hasattr(response, "render") else response
        finally:
            _base_url.reset(reset)


@admin.register(ChatConversation)
class ChatConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "widget", "claimed_name", "claimed_email", "email_verified", "verified_via",
                    "ticket", "created_at", "last_seen_at", "ended_at")
    list_filter = ("widget", "email_verified", "verified_via", "left_message")
    search_fields = ("claimed_email", "claimed_name", "claimed_order_number", "visitor")
    raw_id_fields = ("customer", "ticket")
    readonly_fields = ("visitor", "ip", "created_at", "last_seen_at", "verified_at", "verification_sent_at",
                       "transcript_sent_at", "failed_verifications")
