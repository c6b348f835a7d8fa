"""Writes a demo Plan through the real services, in time order, on a simulated clock.

Customers come in through `customer_resolve`, orders through `order_upsert`, contacts
through `ingest()` and staff actions through the ticket services, so the demo's
tickets, messages and timelines are exactly what real traffic would leave behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction

from agents.models import Role, Store, Team, User
from channels_integrations import registry
from helpdesk.customers.services import customer_resolve
from helpdesk.demo import data
from helpdesk.demo.clock import simulated_clock
from helpdesk.demo.plan import Plan, PlannedCustomer, PlannedOrder, PlannedStory
from helpdesk.demo.stories import Step
from helpdesk.inbound.pipeline import ingest
from helpdesk.inbound.types import InboundMessage, SenderClaims, ThreadHints
from helpdesk.orders.services import LineData, OrderData, ReturnData, ShipmentData, order_upsert
from helpdesk.tickets.models import DeliveryStatus, Message, Ticket
from helpdesk.tickets.services import (
    ticket_add_note,
    ticket_assign,
    ticket_claim,
    ticket_reply,
    ticket_set_status,
)

Action = Callable[[], None]
_ORDER_STATUS = {"placed": "paid", "shipped": "shipped", "delivered": "delivered",
                 "returned": "returned"}


def already_loaded() -> bool:
    return User.objects.filter(username__in=[s.username for s in data.STAFF]).exists()


def load(plan: Plan) -> None:
    """All or nothing: a load that fails half-way leaves no half demo behind."""
    with _quiet(*_CHATTY_LOGGERS), simulated_clock(plan.start) as clock, transaction.atomic():
        loader = _Loader(plan)
        for at, _, action in loader.schedule():
            clock.set(at)
            action()


# Eager Celery logs every (skipped) delivery of a demo reply; nobody needs those lines.
_CHATTY_LOGGERS = ("celery.app.trace", "kombu.connection")


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class _Loader:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.teams = _create_teams()
        self.stores = _create_stores(self.teams[data.SERVICE_TEAM])
        self.staff = _create_staff(self.teams, self.stores)
        self.sequence = 0  # numbers the demo's provider message ids

    def schedule(self) -> list[tuple[datetime, int, Action]]:
        items: list[tuple[datetime, int, Action]] = []

        def add(at: datetime, action: Action) -> None:
            if at <= self.plan.now:  # the rest of the story has not happened yet
                items.append((at, len(items), action))

        for customer in self.plan.customers:
            add(customer.since, partial(_create_customer, customer))
        for order in self.plan.orders:
            for stage, at in _stages(order):
                add(at, partial(self._upsert_order, order, stage))
        for story in self.plan.stories:
            for step in story.story.steps:
                add(story.start + timedelta(minutes=step.minutes), partial(self._step, story, step))
        return sorted(items, key=lambda item: (item[0], item[1]))

    # --- orders --------------------------------------------------------------------

    def _upsert_order(self, order: PlannedOrder, stage: str) -> None:
        assert order.customer.pk is not None
        order_upsert(OrderData(
            source=order.source, external_id=f"{order.source.upper()}-{order.number}",
            number=order.number, placed_at=order.placed_at, status=_ORDER_STATUS[stage],
            email=order.customer.email, phone=order.customer.phone, customer_id=order.customer.pk,
            store_id=self.stores[order.store].pk if order.store else None, total=order.total,
            lines=tuple(LineData(title=f"{product.nl}, maat {size}", sku=f"{product.sku}-{size}",
                                 price=product.price) for product, size in order.lines),
            shipments=_shipments(order, stage), returns=_returns(order, stage),
        ))

    # --- story steps -----------------------------------------------------------------

    def _step(self, story: PlannedStory, step: Step) -> None:
        if step.action == "in":
            self._inbound(story, step)
            return
        ticket = Ticket.objects.select_related("owner").get(pk=story.ticket_id)
        getattr(self, f"_{step.action}")(story, step, ticket)

    def _inbound(self, story: PlannedStory, step: Step) -> None:
        channel = step.channel or story.channel
        self.sequence += 1
        provider_id = _provider_id(channel, self.sequence)
        subject = ""
        if registry.spec(channel).handle_kind == "email":
            subject = f"Re: {story.subject}" if story.subject else self._text(f"{step.arg}.subject", story)
            story.subject = story.subject or subject
        by = self.staff[story.story.by] if story.story.by else None
        result = ingest(InboundMessage(
            channel=channel, sender=_sender(story.customer, channel),
            text=self._text(step.arg, story), subject=subject, external_id=provider_id,
            thread=_thread_hints(story, channel), thread_id=provider_id or "",
            store_id=self.stores[story.store].pk if story.story.store else None,
            author_id=by.pk if by else None,
        ))
        story.ticket_id = result.ticket_id
        story.customer.pk = result.customer_id
        if subject:
            story.thread_id = provider_id or ""

    def _reply(self, story: PlannedStory, step: Step, ticket: Ticket) -> None:
        author = self._handler(story, ticket)
        message = ticket_reply(ticket=ticket, author=author, text=self._text(step.arg, story, author),
                               channel=step.channel or None)
        # Stands in for the provider's delivery receipt: demo history is never sent for
        # real, and the delivery task skips a message that is no longer queued.
        Message.objects.filter(pk=message.pk).update(delivery_status=DeliveryStatus.DELIVERED)

    def _note(self, story: PlannedStory, step: Step, ticket: Ticket) -> None:
        author = self._handler(story, ticket)
        ticket_add_note(ticket=ticket, author=author, text=self._text(step.arg, story, author))

    def _status(self, story: PlannedStory, step: Step, ticket: Ticket) -> None:
        # Closing a solved ticket after a week is the system's job, not a person's.
        actor = None if step.arg == "closed" else ticket.owner or self.staff[story.agent]
        ticket_set_status(ticket=ticket, status=step.arg, actor=actor)

    def _handover(self, story: PlannedStory, step: Step, ticket: Ticket) -> None:
        actor = ticket.owner or self.staff[story.agent]
        target = self.staff.get(step.arg) or next(
            self.staff[name] for name in ("pieter", "sanne", "emma") if self.staff[name] != actor
        )
        ticket_assign(ticket=ticket, owner=target, actor=actor,
                      note=self._text(step.text, story, actor))

    def _release(self, story: PlannedStory, step: Step, ticket: Ticket) -> None:
        if ticket.owner is not None:
            ticket_assign(ticket=ticket, owner=None, actor=ticket.owner,
                          note=self._text(step.arg, story, ticket.owner))

    def _claim(self, story: PlannedStory, step: Step, ticket: Ticket) -> None:
        """The staff member takes the ticket, also when routing gave it to someone else."""
        taker = self.staff[step.arg]
        if ticket.owner is None:
            ticket_claim(ticket_id=ticket.pk, agent=taker)
        elif ticket.owner != taker:
            ticket_assign(ticket=ticket, owner=taker, actor=taker)

    def _handler(self, story: PlannedStory, ticket: Ticket) -> User:
        """Whoever owns the ticket answers; an unowned ticket is claimed first."""
        if ticket.owner is not None:
            return ticket.owner
        claimed = ticket_claim(ticket_id=ticket.pk, agent=self.staff[story.agent])
        assert claimed.owner is not None
        return claimed.owner

    def _text(self, key: str, story: PlannedStory, author: User | None = None) -> str:
        texts = data.TEXTS.get(key)  # only some first emails have a subject of their own
        if texts is None:
            return ""
        language = story.customer.language if story.customer.language in texts else "nl"
        return texts[language].format(**self._context(story, author, language))

    def _context(self, story: PlannedStory, author: User | None, language: str) -> dict[str, str]:
        order = story.order
        product = order.lines[0][0] if order else story.product
        title = product.nl if language == "nl" else product.en
        total = f"{order.lines[0][0].price if order else product.price:.2f}"
        return {
            "first": story.customer.first, "agent": author.display_name.split()[0] if author else "",
            "number": order.number if order else "", "product": title[0].lower() + title[1:],
            "carrier": order.carrier if order and order.carrier else "PostNL",
            "tracking": order.tracking if order else "",
            "store": self.stores[story.store].name.split()[0] if story.store else "",
            "total": total.replace(".", ",") if language == "nl" else total,
            "reason": story.reason,
        }


# --- the cast ----------------------------------------------------------------------


def _create_teams() -> dict[str, Team]:
    service, _ = Team.objects.get_or_create(
        name=data.SERVICE_TEAM, defaults={"channels": data.SERVICE_CHANNELS, "is_default": True}
    )
    social, _ = Team.objects.get_or_create(
        name=data.SOCIAL_TEAM, defaults={"channels": data.SOCIAL_CHANNELS}
    )
    return {service.name: service, social.name: social}


def _create_stores(team: Team) -> dict[str, Store]:
    stores = {}
    for info in data.STORES:
        stores[info.code], _ = Store.objects.get_or_create(code=info.code, defaults={
            "name": info.name, "city": info.city, "address": info.address, "phone": info.phone,
            "team": team,
        })
    return stores


def _create_staff(teams: dict[str, Team], stores: dict[str, Store]) -> dict[str, User]:
    staff = {}
    for info in data.STAFF:
        # Staff sign in at /login/; the Django admin stays for the admin account alone.
        user = User.objects.create_user(
            info.username, email=f"{info.username}@helpdesk.example.nl", password=info.password,
            name=info.name, first_name=info.name.split()[0], role=info.role,
        )
        user.teams.set([teams[name] for name in info.teams])
        user.stores.set([stores[code] for code in info.stores])
        staff[info.username] = user
    if not User.objects.filter(username=data.ADMIN_USERNAME).exists():
        User.objects.create_superuser(data.ADMIN_USERNAME, "admin@helpdesk.example.nl",
                                      data.ADMIN_PASSWORD, name="Beheerder", role=Role.ADMIN)
    return staff


def _create_customer(customer: PlannedCustomer) -> None:
    resolved = customer_resolve(claims=customer.claims(), name=customer.name)
    resolved.customer.language = customer.language
    resolved.customer.save(update_fields=["language", "updated_at"])
    customer.pk = resolved.customer.pk


# --- helpers -------------------------------------------------------------------------


def _stages(order: PlannedOrder) -> list[tuple[str, datetime]]:
    stages = [("placed", order.placed_at), ("shipped", order.shipped_at),
              ("delivered", order.delivered_at), ("returned", order.returned_at)]
    return [(stage, at) for stage, at in stages if at is not None]


def _shipments(order: PlannedOrder, stage: str) -> tuple[ShipmentData, ...]:
    if not order.carrier or stage == "placed":
        return ()
    in_transit = stage == "shipped"
    return (ShipmentData(carrier=order.carrier, tracking_number=order.tracking,
                         status="in_transit" if in_transit else "delivered",
                         updated_at=order.shipped_at if in_transit else order.delivered_at),)


def _returns(order: PlannedOrder, stage: str) -> tuple[ReturnData, ...]:
    if stage != "returned":
        return ()
    product, size = order.lines[0]
    return (ReturnData(status="received", reason=order.return_reason,
                       lines=(f"{product.sku}-{size}",), refunded=product.price),)


def _sender(customer: PlannedCustomer, channel: str) -> SenderClaims:
    """What the channel's provider would tell us about the sender (by identity kind)."""
    kind = registry.spec(channel).handle_kind
    handles = {"whatsapp": customer.whatsapp, "web_visitor": customer.visitor}
    if customer.social:
        handles[customer.social[0]] = customer.social[1]
    return SenderClaims(
        # The chat widget's pre-chat form asks for an email address.
        email=customer.email if kind in ("email", "web_visitor") else "",
        phone=customer.phone if kind in ("phone", "whatsapp") else "",
        handle=handles.get(kind, ""), name=customer.name,
        loyalty_card=customer.loyalty_card if kind == "loyalty_card" else "",
    )


def _thread_hints(story: PlannedStory, channel: str) -> ThreadHints:
    """Email replies name the message they answer; a chat carries its session."""
    kind = registry.spec(channel).handle_kind
    return ThreadHints(
        in_reply_to=story.thread_id if kind == "email" else "",
        conversation=story.customer.visitor if kind == "web_visitor" else "",
    )


def _provider_id(channel: str, sequence: int) -> str | None:
    """Provider message ids in each provider's style; calls and counter visits have none."""
    styles = {"email": "<demo.{n}@mail.example.nl>", "whatsapp": "wamid.DEMO{n:08d}",
              "sms": "SMdemo{n:08d}", "chat": "chat-demo-{n}", "instagram": "mid.demo.ig.{n}",
              "messenger": "mid.demo.fb.{n}"}
    style = styles.get(channel)
    return style.format(n=sequence) if style else None
