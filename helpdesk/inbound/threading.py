"""Which ticket an inbound contact belongs to (step 3 of the inbound path)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from helpdesk import rows
from helpdesk.inbound.types import InboundMessage
from helpdesk.tickets.models import OPEN_STATUSES, Message, Status, Ticket

_RELATED = ("owner", "team", "store")


@dataclass
class ThreadMatch:
    ticket: Ticket | None
    reopen: bool = False
    # The hints named a ticket of another customer: open a new ticket and say so.
    foreign_ticket_id: int | None = None


def find_ticket(inbound: InboundMessage, customer_id: int, *, hints_only: bool = False) -> ThreadMatch:
    """Explicit hint, else an open ticket on any channel, else a recently solved one.

    `hints_only` stops after the explicit hints (a new customer has no tickets to
    continue; automatic mail only joins the ticket it answers).
    """
    hinted, foreign = _hinted_ticket(inbound, customer_id)
    if hinted is not None:
        if hinted.status == Status.CLOSED:
            return ThreadMatch(None)
        return ThreadMatch(hinted, reopen=hinted.status == Status.SOLVED)
    if foreign is not None:
        return ThreadMatch(None, foreign_ticket_id=foreign)
    if hints_only:
        return ThreadMatch(None)
    candidates = _recent_tickets(customer_id)
    for ticket in candidates:
        if ticket.status in OPEN_STATUSES:
            return ThreadMatch(ticket)
    for ticket in candidates:
        return ThreadMatch(ticket, reopen=True)
    return ThreadMatch(None)


def _recent_tickets(customer_id: int) -> list[Ticket]:
    """The customer's tickets open within the continuation window or solved within the
    reopen window, newest first."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    return _tickets(
        f"FROM {Ticket._meta.db_table} t",
        f"t.customer_id = %s AND ((t.status IN ({statuses}) AND t.last_message_at >= %s) "
        "OR (t.status = %s AND t.solved_at >= %s))",
        [customer_id, *OPEN_STATUSES, adapt(now - settings.CONTINUATION_WINDOW),
         Status.SOLVED, adapt(now - settings.REOPEN_WINDOW)],
        order="t.last_message_at DESC, t.id DESC", limit=10,
    )


def _tickets(source: str, where: str, params: list, *, order: str, limit: int) -> list[Ticket]:
    """Tickets (alias t in `source`) with owner, team and store loaded.

    Hand-written SQL: threading runs for most inbound contacts (see helpdesk/rows.py).
    """
    ticket = rows.columns(Ticket, "t")
    related = [(name, rows.columns(Ticket._meta.get_field(name).related_model, name)) for name in _RELATED]
    joins = " ".join(
        f"LEFT JOIN {columns.model._meta.db_table} {name} ON {name}.id = t.{name}_id"
        for name, columns in related
    )
    sql = (f"SELECT {ticket.sql}, {', '.join(columns.sql for _, columns in related)} "
           f"{source} {joins} WHERE {where} ORDER BY {order} LIMIT {int(limit)}")
    return [rows.joined(row, ticket, related) for row in rows.fetch(sql, params)]


def has_explicit_hints(inbound: InboundMessage) -> bool:
    hints = inbound.thread
    return bool(hints.ticket or hints.in_reply_to or hints.references or hints.subject_ticket)


def _hinted_ticket(inbound: InboundMessage, customer_id: int) -> tuple[Ticket | None, int | None]:
    """(the customer's hinted ticket, else None; a hinted ticket of someone else, else None).

    A hint only counts for the customer's own tickets: a reference is not an identity.
    Hints are looked up without the customer filter (same number of queries) so that a
    reference to another customer's ticket can be reported instead of silently ignored.
    """
    hints = inbound.thread
    foreign: int | None = None
    if hints.ticket:
        ticket, foreign = _named_ticket(hints.ticket, customer_id)
        if ticket:
            return ticket, None
    keys = [key for key in (hints.in_reply_to, *hints.references) if key]
    if keys:
        message = (
            Message.objects.filter(thread_id__in=keys)
            .annotate(own=Case(When(customer_id=customer_id, then=1), default=0, output_field=IntegerField()))
            .select_related(*(f"ticket__{name}" for name in _RELATED), "ticket")
            .order_by("-own", "-sent_at", "-id")
            .first()
        )
        if message and message.customer_id == customer_id:
            return message.ticket, None
        if message:
            foreign = foreign or message.ticket_id
    if hints.conversation:
        found = _tickets(
            f"FROM {Message._meta.db_table} m JOIN {Ticket._meta.db_table} t ON t.id = m.ticket_id",
            "m.channel = %s AND m.conversation = %s AND m.customer_id = %s",
            [inbound.channel, hints.conversation, customer_id], order="m.sent_at DESC, m.id DESC", limit=1,
        )
        if found:
            return found[0], None
    if hints.subject_ticket and hints.subject_ticket != hints.ticket:
        ticket, named_foreign = _named_ticket(hints.subject_ticket, customer_id)
        if ticket:
            return ticket, None
        foreign = foreign or named_foreign
    return None, foreign


def _named_ticket(ticket_id: int, customer_id: int) -> tuple[Ticket | None, int | None]:
    ticket = Ticket.objects.select_related(*_RELATED).filter(pk=ticket_id).first()
    if ticket is None:
        return None, None
    if ticket.customer_id != customer_id:
        return None, ticket.pk
    return ticket, None
