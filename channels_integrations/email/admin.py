"""Admin pages of the email channel: mailboxes (with their polling state), the quarantine,
ignored automatic mail and every raw mail received."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from channels_integrations.email import imap, inbound
from channels_integrations.email.models import (
    EmailAddressStatus,
    IgnoredAutomaticEmail,
    InboundEmail,
    InboundState,
    Mailbox,
    QuarantinedEmail,
)


class MailboxForm(forms.ModelForm):
    new_password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted. Leave empty to keep the current one. Naming an environment "
        "variable above is preferred.",
    )

    class Meta:
        model = Mailbox
        fields = (
            "address",
            "name",
            "team",
            "auto_acknowledge",
            "poll",
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_user",
            "imap_password_env",
            "imap_folder",
            "after_processing",
            "processed_folder",
        )

    def save(self, commit=True):
        mailbox = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            mailbox.set_imap_password(self.cleaned_data["new_password"])
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ("address", "name", "team", "auto_acknowledge", "imap_host", "status", "last_polled_at")
    list_filter = ("auto_acknowledge", "team")
    search_fields = ("address", "name", "imap_host")
    readonly_fields = (
        "status",
        "last_error",
        "failures",
        "next_poll_at",
        "last_polled_at",
        "last_success_at",
        "uidvalidity",
        "last_uid",
        "created_at",
    )
    actions = ["poll_now"]
    fieldsets = (
        (None, {"fields": ("address", "name", "team", "auto_acknowledge")}),
        (
            "IMAP polling",
            {
                "fields": (
                    "poll",
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_user",
                    "imap_password_env",
                    "new_password",
                    "imap_folder",
                    "after_processing",
                    "processed_folder",
                )
            },
        ),
        ("State", {"fields": readonly_fields}),
    )

    @admin.display(description="Status")
    def status(self, mailbox: Mailbox) -> str:
        if not mailbox.polls_imap:
            return "Not polled (webhook or pipe)"
        if mailbox.last_error:
            return format_html(
                '<strong style="color:#b00">Failing</strong> ({} times): {}',
                mailbox.failures,
                mailbox.last_error,
            )
        return "OK" if mailbox.last_success_at else "Not polled yet"

    @admin.action(description="Poll the selected mailboxes now")
    def poll_now(self, request, queryset) -> None:
        for mailbox in queryset:
            if not mailbox.polls_imap:
                continue
            report = imap.poll(mailbox)
            level = messages.ERROR if report.error else messages.SUCCESS
            text = report.error or f"{report.fetched} new messages"
            self.message_user(request, f"{mailbox.address}: {text}", level)


class _InboundEmailAdmin(admin.ModelAdmin):
    list_display = (
        "received_at",
        "sender",
        "subject",
        "account",
        "source",
        "state",
        "short_reason",
        "ticket",
    )
    list_filter = ("state", "source", "account")
    search_fields = ("sender", "subject", "external_id")
    readonly_fields = (
        "account",
        "external_id",
        "mailbox",
        "source",
        "envelope",
        "raw_size",
        "raw_truncated",
        "sender",
        "subject",
        "state",
        "reason",
        "full_text",
        "message",
        "ticket",
        "attempts",
        "received_at",
        "processed_at",
        "raw_preview",
    )
    exclude = ("raw",)
    actions = ["retry"]
    list_select_related = ("ticket",)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Reason")
    def short_reason(self, row: InboundEmail) -> str:
        return row.reason[:120]

    @admin.display(description="Raw message (start)")
    def raw_preview(self, row: InboundEmail) -> str:
        return format_html(
            "<pre style='white-space:pre-wrap'>{}</pre>",
            bytes(row.raw[:20000]).decode("utf-8", errors="replace"),
        )

    @admin.action(description="Retry: process the selected mail again")
    def retry(self, request, queryset) -> None:
        done = Counter()
        for row in queryset.exclude(state=InboundState.INGESTED):
            done[inbound.retry(row).state] += 1
        summary = ", ".join(f"{count} {state}" for state, count in done.items()) or "nothing to retry"
        self.message_user(request, f"Retried: {summary}")


@admin.register(InboundEmail)
class InboundEmailAdmin(_InboundEmailAdmin):
    pass


@admin.register(QuarantinedEmail)
class QuarantinedEmailAdmin(_InboundEmailAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=InboundState.QUARANTINED)


@admin.register(IgnoredAutomaticEmail)
class IgnoredAutomaticEmailAdmin(_InboundEmailAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=InboundState.AUTOMATIC)


@admin.register(EmailAddressStatus)
class EmailAddressStatusAdmin(admin.ModelAdmin):
    list_display = ("address", "state", "bounce_count", "changed_at", "reason")
    list_filter = ("state",)
    search_fields = ("address",)
