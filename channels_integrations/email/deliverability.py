"""Whether mail to an address gets through: bounces and spam complaints, per address.

Kept per address rather than per customer because one customer may have several
addresses and only one of them may be dead. Agents see the mark on the customer card;
automatic mail (acknowledgements, notifications) is never sent to a marked address,
while an agent may still reply on purpose.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AddressState(models.TextChoices):
    OK = "ok", "Delivering"
    BOUNCING = "bouncing", "Bouncing"
    COMPLAINED = "complained", "Marked our mail as spam"


class EmailAddressStatus(models.Model):
    address = models.CharField(max_length=254, unique=True, help_text="Lower case.")
    state = models.CharField(max_length=16, choices=AddressState.choices, default=AddressState.OK)
    reason = models.TextField(blank=True)
    bounce_count = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "email_channel"
        verbose_name = "email address status"
        verbose_name_plural = "email address statuses"

    def __str__(self) -> str:
        return f"{self.address}: {self.state}"


def normalise(address: str) -> str:
    return (address or "").strip().strip("<>").lower()


def address_mark(*, address: str, state: str, reason: str = "") -> EmailAddressStatus | None:
    """Record what the last delivery said about an address (bounce, complaint, or OK again)."""
    address = normalise(address)
    if not address:
        return None
    status, _ = EmailAddressStatus.objects.get_or_create(address=address)
    if state == AddressState.OK and status.state != AddressState.BOUNCING:
        return status  # a delivery never clears a spam complaint
    status.state = state
    status.reason = reason[:2000] if state != AddressState.OK else ""
    if state == AddressState.BOUNCING:
        status.bounce_count += 1
    status.changed_at = timezone.now()
    status.save()
    return status


def is_suppressed(address: str) -> bool:
    """True when automatic mail must not go to this address."""
    return EmailAddressStatus.objects.filter(
        address=normalise(address), state__in=(AddressState.BOUNCING, AddressState.COMPLAINED)
    ).exists()


def troubled(addresses: list[str]) -> dict[str, EmailAddressStatus]:
    """The bouncing or complaining addresses among these, in one query."""
    wanted = {normalise(a) for a in addresses if a}
    if not wanted:
        return {}
    rows = EmailAddressStatus.objects.filter(address__in=wanted).exclude(state=AddressState.OK)
    return {row.address: row for row in rows}
