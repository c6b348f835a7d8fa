"""The customer's one timeline: append-only rows, one constructor per kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EntryKind(models.TextChoices):
    MESSAGE = "message", "Message"
    NOTE = "note", "Internal note"
    TICKET_OPENED = "ticket_opened", "Ticket opened"
    TICKET_REOPENED = "ticket_reopened", "Ticket reopened"
    OWNER_CHANGED = "owner_changed", "Owner changed"
    STATUS_CHANGED = "status_changed", "Status changed"
    ORDER_LINKED = "order_linked", "Order linked to ticket"
    ORDER_PLACED = "order_placed", "Order placed"
    ORDER_UPDATED = "order_updated", "Order updated"
    STORE_VISIT = "store_visit", "Store visit"
    SURVEY_ANSWER = "survey_answer", "Survey answer"
    CONSENT_CHANGED = "consent_changed", "Consent changed"
    CUSTOMER_MERGED = "customer_merged", "Customer merged"


class TimelineEntry(models.Model):
    # Indexed by the (customer, -occurred_at, -id) index in Meta.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="timeline", db_index=False
    )
    kind = models.CharField(max_length=24, choices=EntryKind.choices)
    channel = models.CharField(max_length=16, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["customer", "-occurred_at", "-id"])]
        verbose_name_plural = "timeline entries"
        ordering = ["-occurred_at", "-id"]
