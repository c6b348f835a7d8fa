"""Ticket actions: claim, assign, reply, note, status, link orders, open by hand.

Each one writes the change and its timeline entry in one transaction and publishes
the event after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agents.load import load_changed
from agents.models import User
from channels_integrations import registry
from helpdesk import events
from helpdesk.inbound.attachments import check_attachments, store_attachments
from helpdesk.inbound.types import InboundAttachment
from helpdesk.orders.models import Order
from helpdesk.realtime import notify
from helpdesk.tickets.models import (
    OPEN_STATUSES,
    DeliveryStatus,
    Direction,
    Message,
    Status,
    Ticket,
)
from helpdesk.tickets.sla import apply_sla
from helpdesk.timeline import entries


class TicketActionError(Exception):
    """An action that the ticket's current state does not allow."""


class TicketAlreadyOwned(TicketActionError):
    def __init__(self, owner: User | None):
        self.owner = owner
        who = owner.display_name if owner else "someone else"
        super().__init__(f"This ticket is already owned by {who}.")


class ChannelNotReachable(TicketActionError):
    pass


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:200]


def _touch(ticket: Ticket, message: Message) -> None:
    """Keep the inbox columns of the ticket in step with its newest message."""
    ticket.updated_at = timezone.now()
    ticket.message_count = (ticket.message_count or 0) + 1
    if message.direction != Direction.NOTE:
        ticket.last_message_at = max(ticket.last_message_at, message.sent_at)
        ticket.last_message_preview = _preview(message.text or message.subject)
    if message.direction == Direction.IN:
        ticket.last_channel = message.channel
        ticket.last_inbound_at = message.sent_at


def ticket_build(
    *,
    customer,
    channel: str,
    subject: str = "",
    team=None,
    store_id=None,
    priority: str = "normal",
    owner=None,
    at=None,
) -> Ticket:
    """An unsaved new ticket with its SLA due times, for callers that save it themselves."""
    now = at or timezone.now()
    ticket = Ticket(
        customer=customer,
        channel=channel,
        last_channel=channel,
        subject=subject[:255],
        team=team,
        store_id=store_id,
        priority=priority,
        owner=owner,
        created_at=now,
        updated_at=now,
        last_message_at=now,
    )
    apply_sla(ticket)
    return ticket


def ticket_open(
    *,
    customer,
    channel: str,
    subject: str = "",
    team=None,
    store_id=None,
    priority: str = "normal",
    owner=None,
    actor=None,
    at=None,
) -> Ticket:
    """A new, saved ticket with its 'opened' timeline entry."""
    ticket = ticket_build(
        customer=customer,
        channel=channel,
        subject=subject,
        team=team,
        store_id=store_id,
        priority=priority,
        owner=owner,
        at=at,
    )
    ticket.save()
    load_changed(old_owner_id=None, old_status=None, new_owner_id=ticket.owner_id, new_status=ticket.status)
    entries.record(entries.ticket_opened(ticket, actor=actor, at=ticket.created_at))
    return ticket


def ticket_claim(*, ticket_id: int, agent: User) -> Ticket:
    """Take ownership if nobody owns it; a conditional update makes concurrent claims safe."""
    with transaction.atomic():
        won = Ticket.objects.filter(pk=ticket_id, owner__isnull=True).update(
            owner=agent, updated_at=timezone.now()
        )
        ticket = Ticket.objects.select_related("owner", "customer", "team", "store").get(pk=ticket_id)
        if not won:
            raise TicketAlreadyOwned(ticket.owner)
        load_changed(old_owner_id=None, old_status=None, new_owner_id=agent.pk, new_status=ticket.status)
        entries.record(entries.owner_changed(ticket, old_owner=None, new_owner=agent, actor=agent))
        notify.ticket_event(events.TICKET_UPDATED, ticket)
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, owner: User | None, actor: User, note: str = "") -> Ticket:
    """An explicit handover, recorded with its note on the customer's timeline."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("owner", "customer", "team", "store")
        .get(pk=ticket.pk)
    )
    old_owner = ticket.owner
    ticket.owner = owner
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["owner", "updated_at"])
    load_changed(
        old_owner_id=old_owner.pk if old_owner else None,
        old_status=ticket.status,
        new_owner_id=owner.pk if owner else None,
        new_status=ticket.status,
    )
    entries.record(
        entries.owner_changed(ticket, old_owner=old_owner, new_owner=owner, actor=actor, note=note)
    )
    if owner is not None and owner != old_owner:
        from channels_integrations.email.notifications import queue_owner_assigned

        queue_owner_assigned(ticket_id=ticket.pk, owner_id=owner.pk, actor_id=actor.pk)
    if note:
        _add_message(
            ticket,
            author=actor,
            direction=Direction.NOTE,
            text=note,
            channel=ticket.last_channel or ticket.channel,
        )
    notify.ticket_event(events.TICKET_UPDATED, ticket)
    return ticket


def _add_message(
    ticket: Ticket,
    *,
    author: User,
    direction: str,
    text: str,
    channel: str,
    status: str = DeliveryStatus.RECEIVED,
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        customer_id=ticket.customer_id,
        channel=channel,
        direction=direction,
        author=author,
        text=text,
        delivery_status=status,
        subject=ticket.subject,
    )
    entries.record(entries.message_entry(message))
    _touch(ticket, message)
    return message


def reply_channel(ticket: Ticket, requested: str | None) -> str:
    """Principle 2: the channel of the customer's latest message unless the agent picks one."""
    kinds = set(ticket.customer.identities.values_list("kind", flat=True))
    return choose_reply_channel(ticket, kinds, requested)


def choose_reply_channel(ticket: Ticket, identity_kinds: set[str], requested: str | None) -> str:
    """reply_channel for callers that hold the customer's identity kinds already."""
    reachable = registry.reachable_channels(identity_kinds)
    channel = requested or ticket.last_channel or ticket.channel
    if not requested:
        fallback = registry.spec(channel).offline_fallback
        if fallback in reachable and registry.customer_left(channel, ticket.pk):
            channel = fallback
    if channel not in reachable:
        if requested:
            raise ChannelNotReachable(
                f"The customer cannot be reached on {requested}; reachable: "
                + (", ".join(reachable) or "no channel")
            )
        if not reachable:
            raise ChannelNotReachable("The customer has no channel a reply can go out on.")
        channel = reachable[0]
    return channel


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    author: User,
    text: str,
    channel: str | None = None,
    attachments: tuple[InboundAttachment, ...] = (),
) -> Message:
    """Store the reply as queued; the outbound task delivers it through the channel adapter."""
    from helpdesk.tickets.outbound import queue_delivery

    check_attachments(attachments)

    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("owner", "customer", "team", "store")
        .get(pk=ticket.pk)
    )
    channel = reply_channel(ticket, channel)
    message = _add_message(
        ticket,
        author=author,
        direction=Direction.OUT,
        text=text,
        channel=channel,
        status=DeliveryStatus.QUEUED,
    )
    if attachments:
        store_attachments(message, attachments)
    fields = ["updated_at", "message_count", "last_message_at", "last_message_preview"]
    if ticket.first_response_at is None:
        ticket.first_response_at = message.sent_at
        fields.append("first_response_at")
    if ticket.status == Status.NEW:
        ticket.status = Status.OPEN
        fields.append("status")
    ticket.save(update_fields=fields)
    queue_delivery(message)
    notify.message_created(message, ticket)
    notify.ticket_event(events.TICKET_UPDATED, ticket)
    return message


@transaction.atomic
def ticket_add_automatic_reply(
    *, ticket: Ticket, channel: str, text: str, account: str = "", recipient: str = ""
) -> Message:
    """A queued automatic message (an acknowledgement): on the timeline, but it is not a
    response, so first-response time and the ticket's status stay as they are."""
    from helpdesk.tickets.outbound import queue_delivery

    message = Message.objects.create(
        ticket=ticket,
        customer_id=ticket.customer_id,
        channel=channel,
        account=account,
        direction=Direction.OUT,
        recipient=recipient,
        text=text,
        subject=ticket.subject,
        delivery_status=DeliveryStatus.QUEUED,
        is_automatic=True,
    )
    entries.record(entries.message_entry(message))
    Ticket.objects.filter(pk=ticket.pk).update(
        message_count=F("message_count") + 1, updated_at=timezone.now()
    )
    queue_delivery(message)
    notify.message_created(message, ticket)
    return message


@transaction.atomic
def ticket_add_note(*, ticket: Ticket, author: User, text: str) -> Message:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("owner", "customer", "team", "store")
        .get(pk=ticket.pk)
    )
    message = _add_message(
        ticket,
        author=author,
        direction=Direction.NOTE,
        text=text,
        channel=ticket.last_channel or ticket.channel,
    )
    ticket.save(update_fields=["updated_at", "message_count"])
    notify.message_created(message, ticket)
    return message


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, status: str, actor: User | None) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("owner", "customer", "team", "store")
        .get(pk=ticket.pk)
    )
    old = ticket.status
    if old == status:
        return ticket
    if old == Status.CLOSED:
        raise TicketActionError("A closed ticket cannot change; open a new ticket instead.")
    now = timezone.now()
    if status == Status.SOLVED:
        ticket.solved_at = now
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.solved_at = ticket.solved_at or now
    elif old == Status.SOLVED and status in OPEN_STATUSES:
        ticket.reopened_at = now
        ticket.reopen_count = F("reopen_count") + 1
    ticket.status = status
    ticket.updated_at = now
    ticket.save()
    ticket.refresh_from_db(fields=["reopen_count"])
    load_changed(
        old_owner_id=ticket.owner_id, old_status=old, new_owner_id=ticket.owner_id, new_status=status
    )
    entries.record(entries.status_changed(ticket, old=old, new=status, actor=actor))
    notify.ticket_event(events.TICKET_UPDATED, ticket)
    return ticket


def ticket_link_orders(*, ticket: Ticket, orders: list[Order], actor: User | None = None) -> list[Order]:
    """Link orders not linked yet; returns the newly linked ones. Call inside a transaction."""
    if not orders:
        return []
    through = Ticket.orders.through
    already = set(
        through.objects.filter(ticket_id=ticket.pk, order_id__in=[o.pk for o in orders]).values_list(
            "order_id", flat=True
        )
    )
    new = [order for order in orders if order.pk not in already]
    if new:
        through.objects.bulk_create(
            [through(ticket_id=ticket.pk, order_id=o.pk) for o in new], ignore_conflicts=True
        )
        entries.record(entries.orders_linked(ticket, new, actor=actor))
    return new


class OrderNotOfCustomer(TicketActionError):
    pass


@transaction.atomic
def ticket_link_order(*, ticket: Ticket, order: Order, actor: User) -> Ticket:
    if order.customer_id != ticket.customer_id:
        raise OrderNotOfCustomer("This order belongs to another customer.")
    ticket = Ticket.objects.select_related("owner", "customer", "team", "store").get(pk=ticket.pk)
    if ticket_link_orders(ticket=ticket, orders=[order], actor=actor):
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
        notify.ticket_event(events.TICKET_UPDATED, ticket)
    return ticket


@transaction.atomic
def ticket_open_by_hand(
    *,
    customer,
    channel: str,
    subject: str,
    text: str,
    actor: User,
    owner: User | None,
    team=None,
    store_id: int | None = None,
    priority: str = "normal",
) -> Ticket:
    """A ticket an agent opens for a customer (a call, a letter), with the customer's words."""
    ticket = ticket_open(
        customer=customer,
        channel=channel,
        subject=subject,
        team=team,
        store_id=store_id,
        priority=priority,
        owner=owner,
        actor=actor,
    )
    message = Message.objects.create(
        ticket=ticket,
        customer=customer,
        channel=channel,
        direction=Direction.IN,
        author=actor,
        text=text,
        subject=subject,
    )
    entries.record(entries.message_entry(message))
    _touch(ticket, message)
    ticket.save()
    notify.ticket_event(events.TICKET_CREATED, ticket)
    return ticket
