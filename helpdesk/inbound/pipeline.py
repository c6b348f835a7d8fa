"""The one inbound path. Every channel adapter ends here (ARCHITECTURE.md)."""

from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agents import routing
from agents.load import load_changed
from agents.models import Team
from channels_integrations import registry
from helpdesk import events, rows
from helpdesk.customers.models import Customer
from helpdesk.customers.services import ResolvedCustomer, claims_from, customer_resolve
from helpdesk.inbound.attachments import check_attachments, inline_images_point_at, store_attachments
from helpdesk.inbound.order_numbers import order_numbers_in
from helpdesk.inbound.sanitise import sanitise_html
from helpdesk.inbound.threading import ThreadMatch, find_ticket, has_explicit_hints
from helpdesk.inbound.types import AutomaticWithoutTicket, InboundMessage, IngestResult
from helpdesk.orders.models import Order
from helpdesk.realtime import notify
from helpdesk.tickets.models import Direction, Message, Status
from helpdesk.tickets.services import _touch, ticket_build, ticket_link_orders
from helpdesk.timeline import entries

logger = logging.getLogger(__name__)

_ATTEMPTS = 4
# The ticket columns an inbound contact changes (helpdesk.tickets.services._touch and reopening).
_TOUCHED = ("customer", "status", "reopened_at", "reopen_count", "updated_at", "message_count",
            "last_message_at", "last_message_preview", "last_channel", "last_inbound_at")


def ingest(inbound: InboundMessage) -> IngestResult:
    """Store one inbound contact on the right ticket of the right customer, exactly once.

    A redelivery (same channel account and provider id) returns the stored ids with
    `created=False`. Races with other deliveries surface as IntegrityError and are
    retried: the next attempt sees what the winner committed.
    """
    registry.spec(inbound.channel)  # unknown channels fail before any write
    check_attachments(inbound.attachments)
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _ingest_once(inbound)
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
            logger.info("ingest race on %s/%s, retrying", inbound.channel, inbound.external_id)
    raise AssertionError("unreachable")


def _ingest_once(inbound: InboundMessage) -> IngestResult:
    if inbound.external_id:
        existing = _delivered(inbound)
        if existing:
            return IngestResult(*existing, created=False)

    spec = registry.spec(inbound.channel)
    sender = inbound.sender
    if inbound.customer_id is not None:  # staff identified the customer (store counter)
        known = Customer.objects.select_for_update().get(pk=inbound.customer_id)
        resolved = ResolvedCustomer(customer=known, is_new=False, identified=True)
    else:
        resolved = customer_resolve(
            claims=claims_from(email=sender.email, phone=sender.phone, handle=sender.handle,
                               handle_kind=spec.handle_kind, loyalty_card=sender.loyalty_card),
            name=sender.name,
        )
    customer = resolved.customer
    now = timezone.now()
    sent_at = min(inbound.sent_at or now, now)

    match = _thread(inbound, customer.pk, is_new_customer=resolved.is_new)
    ticket = match.ticket
    if ticket is None and inbound.is_automatic:
        # Rolls back whatever was created for it (an anonymous customer): the caller keeps it.
        raise AutomaticWithoutTicket(f"{inbound.channel}/{inbound.external_id} names no ticket")
    is_new_ticket = ticket is None
    if ticket is None:
        team = _team_for(inbound)
        owner = routing.owner_for_new_ticket(
            customer_id=customer.pk, team=team, is_new_customer=resolved.is_new
        )
        ticket = ticket_build(
            customer=customer, channel=inbound.channel, subject=_subject(inbound), team=team,
            store_id=inbound.store_id, owner=owner, at=sent_at,
        )
    ticket.customer = customer

    message = Message(
        ticket=ticket, customer=customer, channel=inbound.channel, account=inbound.account,
        direction=Direction.IN, author_id=inbound.author_id,
        sender=sender.email or sender.phone or sender.handle, subject=inbound.subject[:255],
        text=inbound.text, html=sanitise_html(inbound.html), external_id=inbound.external_id,
        thread_id=(inbound.thread_id or inbound.external_id or "")[:255],
        references=list(inbound.thread.references),
        conversation=inbound.thread.conversation[:255], is_automatic=inbound.is_automatic,
        sent_at=sent_at,
    )
    pending = []
    old_status = None if is_new_ticket else ticket.status
    if inbound.is_automatic:
        pass  # an out-of-office answer neither reopens nor reactivates the ticket
    elif match.reopen:
        ticket.status = Status.OPEN
        ticket.reopened_at = now
        ticket.reopen_count += 1
        pending.append(entries.ticket_reopened(ticket, at=sent_at))
    elif ticket.status == Status.PENDING:
        ticket.status = Status.OPEN  # the customer answered what we were waiting for
    _touch(ticket, message)
    if is_new_ticket:
        rows.insert([ticket])
        pending.insert(0, entries.ticket_opened(ticket, at=sent_at))
    else:  # only what this contact changed: an agent's concurrent assignment stays
        rows.update(ticket, _TOUCHED)
    message.ticket = ticket
    rows.insert([message])
    if inbound.attachments:
        stored = store_attachments(message, inbound.attachments)
        if "cid:" in message.html:
            inline_images_point_at(message, stored)
    entries.record(pending, [entries.message_entry(message)])
    if match.foreign_ticket_id:
        _note_foreign_reference(ticket, match.foreign_ticket_id, at=sent_at)

    numbers = order_numbers_in(inbound.subject, inbound.text)
    if numbers:
        orders = list(Order.objects.filter(customer=customer, number__in=numbers))
        ticket_link_orders(ticket=ticket, orders=orders)

    notify.ticket_event(events.TICKET_CREATED if is_new_ticket else events.TICKET_UPDATED, ticket)
    notify.message_created(message, ticket)
    if old_status != ticket.status:
        # Last: the owner's row is shared by every contact routed to them, and its lock is
        # held until commit.
        load_changed(old_owner_id=ticket.owner_id, old_status=old_status,
                     new_owner_id=ticket.owner_id, new_status=ticket.status)
    return IngestResult(message.pk, ticket.pk, customer.pk, created=True, ticket_created=is_new_ticket,
                        foreign_ticket_id=match.foreign_ticket_id)


def _thread(inbound: InboundMessage, customer_id: int, *, is_new_customer: bool) -> ThreadMatch:
    """A new customer has nothing to continue, but an explicit hint is still checked so a
    reference to someone else's ticket is reported (and automatic mail finds its ticket)."""
    if inbound.new_ticket:
        return ThreadMatch(None)
    if is_new_customer and not has_explicit_hints(inbound):
        return ThreadMatch(None)
    return find_ticket(inbound, customer_id, hints_only=is_new_customer or inbound.is_automatic)


def _team_for(inbound: InboundMessage) -> Team | None:
    if inbound.team_id:
        team = Team.objects.filter(pk=inbound.team_id).first()
        if team is not None:
            return team
    return routing.team_for(channel=inbound.channel, store_id=inbound.store_id)


def _note_foreign_reference(ticket, foreign_ticket_id: int, *, at) -> None:
    """Tell the agent: the contact named a ticket of another customer (a forward, a guess,
    or a spoof). It was not added there; this note stands on the new ticket."""
    note = Message.objects.create(
        ticket=ticket, customer_id=ticket.customer_id, channel=ticket.channel, direction=Direction.NOTE,
        is_automatic=True, sent_at=at,
        text=f"This contact referred to ticket #{foreign_ticket_id}, which belongs to another customer. "
             "It was not added to that ticket; check who wrote before sharing anything.",
    )
    entries.record([entries.message_entry(note)])


_DELIVERED = (f"SELECT id, ticket_id, customer_id FROM {Message._meta.db_table} "
              "WHERE channel = %s AND account = %s AND external_id = %s LIMIT 1")


def _delivered(inbound: InboundMessage) -> tuple[int, int, int] | None:
    """The ids of an earlier delivery of this contact, if any.

    On PostgreSQL identical deliveries are serialised first (a transaction-scoped advisory
    lock), so only the first one does the work; the lookup after it, pipelined in the
    same round trip, runs with a fresh snapshot and sees what a winner committed. SQLite
    serialises writers already; the unique constraint is the backstop everywhere.
    """
    params = [inbound.channel, inbound.account, inbound.external_id]
    with rows.cursor() as cursor:
        if connection.vendor == "postgresql":
            digest = hashlib.blake2b("\x00".join(params).encode(), digest_size=8).digest()
            key = int.from_bytes(digest, "big", signed=True)
            with connection.connection.pipeline():  # both statements in one round trip
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
                cursor.execute(_DELIVERED, params)
                return cursor.fetchone()
        cursor.execute(_DELIVERED, params)
        return cursor.fetchone()


def _subject(inbound: InboundMessage) -> str:
    if inbound.subject:
        return inbound.subject
    flat = " ".join(inbound.text.split())
    return flat[:80] + ("…" if len(flat) > 80 else "")
