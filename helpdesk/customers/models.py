"""Customers, their identities on every channel, and their consents."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdentityKind(models.TextChoices):
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    INSTAGRAM = "instagram", "Instagram"
    LOYALTY_CARD = "loyalty_card", "Loyalty card"
    WEB_VISITOR = "web_visitor", "Web visitor"
    EXTERNAL_ID = "external_id", "External id"


class Customer(models.Model):
    """A person, known or anonymous. A merged customer points at the survivor."""

    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name or f"Customer #{self.pk}"

    @property
    def display_name(self) -> str:
        return self.name or f"Anonymous customer #{self.pk}"


class Identity(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=16, choices=IdentityKind.choices)
    value = models.CharField(max_length=255)
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identity_unique_kind_value")
        ]
        indexes = [models.Index(fields=["value"])]
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ConsentPurpose(models.TextChoices):
    SERVICE = "service", "Service contact"
    SURVEYS = "surveys", "Surveys"
    MARKETING = "marketing", "Marketing"


class Consent(models.Model):
    """One recorded consent decision; the latest per channel and purpose is in force."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=16)
    purpose = models.CharField(max_length=16, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    source = models.CharField(max_length=64, blank=True, help_text="Where it was given.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["customer", "channel", "purpose", "-recorded_at"])]


class MergeSuggestion(models.Model):
    """Two customers that one contact's claims tie together; an agent decides."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "other"],
                condition=models.Q(resolved_at__isnull=True),
                name="merge_suggestion_open_unique",
            )
        ]


class CustomerAccess(models.Model):
    """Who looked a customer up, where and when: the customer's access audit."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey("agents.Store", null=True, blank=True, on_delete=models.SET_NULL)
    query = models.CharField(max_length=255, blank=True)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "customer"])]
