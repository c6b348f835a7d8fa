"""Contacts logged at the store counter, and the reasons staff pick from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify


def reason_code(text: str) -> str:
    """The stable code integrations name a reason by ("Delivery question" -> delivery_question)."""
    return slugify(text).replace("-", "_")[:40]


class ContactReason(models.Model):
    """Why a customer came to the counter; the list is edited in the admin."""

    name = models.CharField(max_length=80, unique=True)
    # Integrations (POST /api/v1/instore/contacts/) name the reason by this code, so renaming
    # a reason on the screen does not break them. Filled from the name when left empty.
    code = models.SlugField(max_length=40, unique=True, blank=True,
                            help_text="What the API calls this reason, e.g. delivery_question.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the store screen.")
    active = models.BooleanField(default=True, help_text="Inactive reasons are no longer offered.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.code = reason_code(self.code or self.name)
        super().save(*args, **kwargs)


class Outcome(models.TextChoices):
    SOLVED = "solved", "Solved on the spot"
    HANDED_OVER = "handed_over", "Handed over to the service team"
    STORE_FOLLOW_UP = "store_follow_up", "Follow-up by the store"


class StoreContact(models.Model):
    """One counter contact: who logged it where, why, and how it ended (for store KPIs)."""

    store = models.ForeignKey("agents.Store", on_delete=models.PROTECT, related_name="contacts")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="store_contacts"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("tickets.Message", on_delete=models.CASCADE, related_name="+")
    reason = models.ForeignKey(ContactReason, on_delete=models.PROTECT, related_name="contacts")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    walk_in = models.BooleanField(default=False, help_text="Logged without looking the customer up.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["store", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.store} · {self.reason} · {self.get_outcome_display()}"
