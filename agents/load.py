"""Each agent's open-ticket count: kept in step by the ticket services, recounted nightly."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from agents.models import User


def _is_open(status: str) -> bool:
    from helpdesk.tickets.models import OPEN_STATUSES

    return status in OPEN_STATUSES


def load_changed(
    *, old_owner_id: int | None, old_status: str | None, new_owner_id: int | None, new_status: str
) -> None:
    """Adjust the counters for one ticket whose owner or status changed (inside its transaction)."""
    deltas: Counter[int] = Counter()
    if old_owner_id and old_status and _is_open(old_status):
        deltas[old_owner_id] -= 1
    if new_owner_id and _is_open(new_status):
        deltas[new_owner_id] += 1
    for user_id, delta in sorted(deltas.items()):
        if delta:
            User.objects.filter(pk=user_id).update(
                open_ticket_count=Greatest(F("open_ticket_count") + delta, Value(0))
            )


def recount_open_tickets() -> int:
    """Recompute every counter from the tickets; returns how many were wrong."""
    from helpdesk.tickets.models import OPEN_STATUSES, Ticket

    actual = (
        Ticket.objects.filter(owner=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    wrong = User.objects.annotate(actual=Coalesce(Subquery(actual), 0)).filter(
        ~Q(open_ticket_count=F("actual"))
    )
    fixed = 0
    for user in wrong.only("pk"):
        User.objects.filter(pk=user.pk).update(open_ticket_count=Coalesce(Subquery(actual), 0))
        fixed += 1
    return fixed
