"""Tickets (one question of one customer) and the messages on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    CHAT = "chat", "Live chat"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    INSTAGRAM = "instagram", "Instagram"
    SMS = "sms", "SMS"
    PHONE = "phone", "Phone"
    INSTORE = "instore", "In store"
    API = "api", "API"


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    ON_HOLD = "on_hold", "On hold"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Ticket(models.Model):
    # The foreign keys lead the composite indexes in Meta, which serve their lookups: a
    # single-column index each as well would only cost every contact's ticket update.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    subject = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    # Principle 3: at most one owner at any moment.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tickets",
        db_index=False,
    )
    team = models.ForeignKey(
        "agents.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets",
        db_index=False,
    )
    store = models.ForeignKey(
        "agents.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets",
        db_index=False,
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, help_text="Origin channel.")
    last_channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    last_message_preview = models.CharField(max_length=200, blank=True)
    orders = models.ManyToManyField("orders.Order", blank=True, related_name="tickets")
    message_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    solved_on_first_contact = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "status", "-last_message_at"]),
            models.Index(fields=["owner", "status", "-updated_at"]),
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["team", "status", "-updated_at"]),
            models.Index(fields=["store", "status", "-updated_at"]),
            models.Index(fields=["-updated_at", "-id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Direction(models.TextChoices):
    IN = "in", "Inbound"
    OUT = "out", "Outbound"
    NOTE = "note", "Internal note"


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    READ = "read", "Read"
    FAILED = "failed", "Failed"
    # The receiving server or the provider gave the message back, or the customer
    # marked it as spam: both are terminal and shown to the agent.
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"


class Message(models.Model):
    # Indexed by the (ticket, sent_at, id) index in Meta.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="messages"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    # The channel account (mailbox, phone number, page) the provider id is unique in.
    account = models.CharField(max_length=128, blank=True, default="")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.CharField(max_length=255, blank=True, help_text="Address or handle it came from.")
    subject = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True, help_text="Sanitised.")
    external_id = models.CharField(max_length=255, null=True, blank=True)
    thread_id = models.CharField(max_length=255, blank=True, help_text="e.g. email Message-ID")
    references = models.JSONField(default=list, blank=True)
    # A provider's conversation or chat session key, for threading follow-ups.
    conversation = models.CharField(max_length=255, blank=True)
    delivery_status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    delivery_error = models.TextField(blank=True)
    # Outbound only. Where it went, and the id the sending provider gave it (what its
    # delivery callbacks name, which need not be our Message-ID).
    recipient = models.CharField(max_length=255, blank=True, default="", db_default="")
    provider_message_id = models.CharField(max_length=255, blank=True, default="", db_default="")
    # A delivery task claims a queued message before handing it to the provider, so a
    # duplicated or retried task cannot send it twice (see helpdesk/tickets/tasks.py).
    delivery_claimed_at = models.DateTimeField(null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    is_automatic = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "account", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="message_unique_provider_id",
            )
        ]
        indexes = [
            models.Index(fields=["ticket", "sent_at", "id"]),
            models.Index(fields=["thread_id"]),
            models.Index(fields=["channel", "conversation"]),
            models.Index(fields=["delivery_status", "channel"]),
            # Equality lookups only (delivery callbacks): no LIKE index beside it.
            models.Index(fields=["provider_message_id"], name="message_provider_message_id"),
        ]
        ordering = ["sent_at", "id"]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
