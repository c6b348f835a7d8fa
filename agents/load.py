"""Each agent's open-ticket count: kept in step by the ticket services, recounted nightly."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from agents.models import User
from helpdesk import rows


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
            # Hand-written: this runs for most inbound contacts (see helpdesk/rows.py).
            rows.execute(_ADJUST, [delta, delta, user_id])


_ADJUST = (f"UPDATE {User._meta.db_table} SET open_ticket_count = "
           "CASE WHEN open_ticket_count + %s < 0 THEN 0 ELSE open_ticket_count + %s END WHERE id = %s")


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
