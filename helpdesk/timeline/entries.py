"""One constructor per timeline entry kind; callers save them in their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from helpdesk.rows import insert
from helpdesk.timeline.models import EntryKind, TimelineEntry


def _excerpt(text: str, length: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def message_entry(message) -> TimelineEntry:
    kind = EntryKind.NOTE if message.direction == "note" else EntryKind.MESSAGE
    return TimelineEntry(
        customer_id=message.customer_id,
        kind=kind,
        channel=message.channel,
        ticket_id=message.ticket_id,
        message=message,
        actor_id=message.author_id,
        summary=_excerpt(message.text or message.subject),
        data={"direction": message.direction},
        occurred_at=message.sent_at,
    )


def ticket_opened(ticket, *, actor=None, at: datetime | None = None) -> TimelineEntry:
    return TimelineEntry(
        customer_id=ticket.customer_id,
        kind=EntryKind.TICKET_OPENED,
        channel=ticket.channel,
        ticket=ticket,
        actor=actor,
        summary=_excerpt(ticket.subject or f"Ticket #{ticket.pk}"),
        occurred_at=at or ticket.created_at,
    )


def ticket_reopened(ticket, *, at: datetime | None = None) -> TimelineEntry:
    return TimelineEntry(
        customer_id=ticket.customer_id,
        kind=EntryKind.TICKET_REOPENED,
        channel=ticket.last_channel or ticket.channel,
        ticket=ticket,
        summary=f"Ticket #{ticket.pk} reopened",
        occurred_at=at or timezone.now(),
    )


def owner_changed(ticket, *, old_owner, new_owner, actor=None, note: str = "") -> TimelineEntry:
    def describe(user) -> dict | None:
        return {"id": user.pk, "name": user.display_name} if user else None

    new_name = new_owner.display_name if new_owner else "nobody"
    return TimelineEntry(
        customer_id=ticket.customer_id,
        kind=EntryKind.OWNER_CHANGED,
        ticket=ticket,
        actor=actor,
        summary=_excerpt(f"Owner: {new_name}" + (f" — {note}" if note else "")),
        data={"from": describe(old_owner), "to": describe(new_owner), "note": note},
    )


def status_changed(ticket, *, old: str, new: str, actor=None) -> TimelineEntry:
    return TimelineEntry(
        customer_id=ticket.customer_id,
        kind=EntryKind.STATUS_CHANGED,
        ticket=ticket,
        actor=actor,
        summary=f"Status: {old} → {new}",
        data={"from": old, "to": new},
    )


def orders_linked(ticket, orders: Iterable, *, actor=None) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            customer_id=ticket.customer_id,
            kind=EntryKind.ORDER_LINKED,
            ticket=ticket,
            order=order,
            actor=actor,
            summary=f"Order {order.number} linked to ticket #{ticket.pk}",
        )
        for order in orders
    ]


def order_event(order, *, created: bool) -> TimelineEntry:
    return TimelineEntry(
        customer_id=order.customer_id,
        kind=EntryKind.ORDER_PLACED if created else EntryKind.ORDER_UPDATED,
        channel="instore" if order.store_id else "",
        order=order,
        summary=f"Order {order.number}: {order.status}",
        data={"status": order.status, "source": order.source},
        occurred_at=order.placed_at if created else timezone.now(),
    )


def customer_merged(*, keep, merged, actor=None) -> TimelineEntry:
    return TimelineEntry(
        customer_id=keep.pk,
        kind=EntryKind.CUSTOMER_MERGED,
        actor=actor,
        summary=f"Merged customer #{merged.pk} into this one",
        data={"merged": merged.pk},
    )


def record(*entries: TimelineEntry | Iterable[TimelineEntry]) -> None:
    rows: list[TimelineEntry] = []
    for item in entries:
        rows.extend([item] if isinstance(item, TimelineEntry) else item)
    insert(rows)
