"""Which ticket an inbound contact belongs to (step 3 of the inbound path)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from helpdesk.inbound.types import InboundMessage
from helpdesk.tickets.models import OPEN_STATUSES, Message, Status, Ticket

_RELATED = ("owner", "team", "store")


@dataclass
class ThreadMatch:
    ticket: Ticket | None
    reopen: bool = False


def find_ticket(inbound: InboundMessage, customer_id: int) -> ThreadMatch:
    """Explicit hint, else an open ticket on any channel, else a recently solved one."""
    hinted = _hinted_ticket(inbound, customer_id)
    if hinted is not None:
        if hinted.status == Status.CLOSED:
            return ThreadMatch(None)
        return ThreadMatch(hinted, reopen=hinted.status == Status.SOLVED)
    now = timezone.now()
    candidates = list(
        Ticket.objects.filter(customer_id=customer_id)
        .filter(
            Q(status__in=OPEN_STATUSES, last_message_at__gte=now - settings.CONTINUATION_WINDOW)
            | Q(status=Status.SOLVED, solved_at__gte=now - settings.REOPEN_WINDOW)
        )
        .select_related(*_RELATED)
        .order_by("-last_message_at", "-id")[:10]
    )
    for ticket in candidates:
        if ticket.status in OPEN_STATUSES:
            return ThreadMatch(ticket)
    for ticket in candidates:
        return ThreadMatch(ticket, reopen=True)
    return ThreadMatch(None)


def _hinted_ticket(inbound: InboundMessage, customer_id: int) -> Ticket | None:
    """A hint only counts for the customer's own tickets: a reference is not an identity."""
    hints = inbound.thread
    if hints.ticket:
        ticket = Ticket.objects.select_related(*_RELATED).filter(
            pk=hints.ticket, customer_id=customer_id
        ).first()
        if ticket:
            return ticket
    keys = [key for key in (hints.in_reply_to, *hints.references) if key]
    query = Q()
    if keys:
        query |= Q(thread_id__in=keys)
    if hints.conversation:
        query |= Q(channel=inbound.channel, conversation=hints.conversation)
    if not query:
        return None
    message = (
        Message.objects.filter(query, customer_id=customer_id)
        .select_related(*(f"ticket__{name}" for name in _RELATED), "ticket")
        .order_by("-sent_at", "-id")
        .first()
    )
    return message.ticket if message else None
