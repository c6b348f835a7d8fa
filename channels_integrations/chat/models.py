"""Chat widgets (one per shop site) and the conversations their visitors open."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

PRE_CHAT_FIELDS = ("name", "email", "order_number")


def new_widget_key() -> str:
    # Public (it is in the shop's HTML) but unguessable, so widgets cannot be enumerated.
    return secrets.token_urlsafe(18)


def normalise_origin(value: str) -> str:
    """`scheme://host[:port]` in lower case, the form browsers send in the Origin header."""
    return value.strip().rstrip("/").lower()


def _validate_origins(value) -> None:
    if not isinstance(value, list):
        raise ValidationError('Give a list of origins, like ["https://shop.example"].')
    for item in value:
        parts = urlsplit(str(item).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/") \
                or parts.query or parts.fragment:
            raise ValidationError(f"{item!r} is not an origin like https://shop.example")


def _validate_pre_chat_fields(value) -> None:
    if not isinstance(value, list) or any(item not in PRE_CHAT_FIELDS for item in value):
        raise ValidationError(f"Choose from {', '.join(PRE_CHAT_FIELDS)}.")


class ChatWidget(models.Model):
    """The chat on one shop site: who may embed it, who answers, what visitors are asked first."""

    name = models.CharField(max_length=120, help_text="Shown as the title of the chat panel.")
    key = models.CharField(max_length=64, unique=True, default=new_widget_key, editable=False)
    allowed_origins = models.JSONField(
        default=list, blank=True, validators=[_validate_origins],
        help_text='Sites that may open this chat, e.g. ["https://shop.example"].',
    )
    team = models.ForeignKey(
        "agents.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_widgets",
        help_text="Whose online agents count as available; empty: any team.",
    )
    greeting = models.CharField(max_length=500, blank=True, default="Hi! How can we help you today?")
    pre_chat_fields = models.JSONField(
        default=list, blank=True, validators=[_validate_pre_chat_fields],
        help_text="Asked before the chat starts: any of name, email, order_number.",
    )
    max_attachment_bytes = models.PositiveIntegerField(default=5 * 1024 * 1024)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.allowed_origins = [normalise_origin(str(o)) for o in self.allowed_origins or []]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.max_attachment_bytes > settings.MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"max_attachment_bytes": f"At most {settings.MAX_ATTACHMENT_BYTES} (MAX_ATTACHMENT_BYTES)."}
            )

    def allows_origin(self, origin: str) -> bool:
        return bool(origin) and normalise_origin(origin) in self.allowed_origins

    def snippet(self, base_url: str) -> str:
        return f'<script src="{base_url.rstrip("/")}/chat/widget.js" data-key="{self.key}" async></script>'


class VerifiedVia(models.TextChoices):
    LINK = "link", "Link mailed to the address"
    ORDER_POSTCODE = "order_postcode", "Order number and postcode"


class ChatConversation(models.Model):
    """One chat of one visitor. What the visitor claims stays a claim until it is verified."""

    widget = models.ForeignKey(ChatWidget, on_delete=models.PROTECT, related_name="conversations")
    # Kept in the visitor's browser (inside a signed token) across pages and conversations.
    visitor = models.UUIDField(default=uuid.uuid4, db_index=True)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_conversations"
    )
    claimed_name = models.CharField(max_length=200, blank=True)
    claimed_email = models.CharField(max_length=254, blank=True, help_text="Normalised.")
    claimed_order_number = models.CharField(max_length=64, blank=True)
    email_verified = models.BooleanField(default=False)
    verified_via = models.CharField(max_length=16, choices=VerifiedVia.choices, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    failed_verifications = models.PositiveSmallIntegerField(default=0)
    # Left a message while no agent was online: the answer goes out by email.
    left_message = models.BooleanField(default=False)
    transcript_sent_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["widget", "visitor", "-created_at"]),
            models.Index(fields=["ticket", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Chat {self.visitor} on {self.widget_id}"

    @property
    def conversation_key(self) -> str:
        """The thread hint and visitor handle: one per browser, across its conversations."""
        return str(self.visitor)
