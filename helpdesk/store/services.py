"""Writes of the store counter: log a contact and apply its outcome, record consent.

A counter contact enters through the one inbound path (`ingest()` with channel
"instore"), so it lands on the customer's one timeline and threads and routes like any
other contact; the outcome is then applied with the ticket services, and a handover
tells the customer through the one outbound path (a queued reply).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from agents import routing
from agents.models import Role, Store, User
from agents.permissions import SERVICE
from helpdesk.customers.models import Consent, Customer
from helpdesk.customers.selectors import current_consents
from helpdesk.inbound.pipeline import ingest
from helpdesk.inbound.types import InboundAttachment, InboundMessage, SenderClaims, ThreadHints
from helpdesk.orders.models import Order
from helpdesk.store import timeline
from helpdesk.store.models import ContactReason, Outcome, StoreContact
from helpdesk.tickets.models import Status, Ticket
from helpdesk.tickets.selectors import customer_latest_channel
from helpdesk.tickets.services import (
    ticket_add_note,
    ticket_assign,
    ticket_link_order,
    ticket_reply,
    ticket_set_status,
)
from helpdesk.timeline import entries

logger = logging.getLogger(__name__)

COUNTER_ACCOUNT = "store-{store}"  # the "channel account" a store's contacts are unique in


@dataclass(frozen=True)
class CounterContact:
    """What store staff logged at the counter, already validated by the form."""

    reason: ContactReason
    text: str
    outcome: str
    token: str  # one per form: a double tap on "Log" logs the contact once
    order: Order | None = None
    note: str = ""
    about_ticket: int | None = None  # an open ticket of the customer it continues; None = new
    photos: tuple[InboundAttachment, ...] = ()
    walk_in: SenderClaims | None = None  # details a walk-in gave (all may be empty)
    owner: User | None = None  # who takes a handover over; None = the service team decides


@dataclass(frozen=True)
class LoggedContact:
    contact: StoreContact
    owner: User | None
    # The channel the customer was told on who follows up (handover only); "" if not told.
    told_on: str = ""
    repeated: bool = False  # the same form was sent again: nothing new was written
    warnings: list[str] = field(default_factory=list)


HANDOVER_NOTE_NEEDED = "Say what the service team should do: they take over from here."
ORDER_NOT_THEIRS = "Pick one of this customer's orders."


class ContactInvalid(ValueError):
    """A counter rule is broken; nothing was written. `errors` maps each field to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def contact_problems(*, outcome: str, note: str = "", order: Order | None = None,
                     customer_id: int | None = None, owner: User | None = None) -> dict[str, str]:
    """The counter's rules, for the screen's form, the API and the service alike: a
    handover says what to do (the next person must not ask the customer again), the order
    is the customer's own, and only a handover names a service owner."""
    problems: dict[str, str] = {}
    if outcome == Outcome.HANDED_OVER and not note.strip():
        problems["note"] = HANDOVER_NOTE_NEEDED
    if order is not None and customer_id is not None and order.customer_id != customer_id:
        problems["order"] = ORDER_NOT_THEIRS
    if owner is not None and outcome != Outcome.HANDED_OVER:
        problems["owner"] = "Only a handover names who takes over."
    elif owner is not None and not (owner.is_active and owner.effective_role in SERVICE):
        problems["owner"] = "Hand over to an active member of the service team."
    return problems


def _check(contact: CounterContact, customer_id: int | None) -> None:
    problems = contact_problems(outcome=contact.outcome, note=contact.note, order=contact.order,
                                customer_id=customer_id, owner=contact.owner)
    if problems:
        raise ContactInvalid(problems)


def store_contact_log(*, staff: User, store: Store, customer: Customer | None,
                      contact: CounterContact) -> LoggedContact:
    """Log one counter contact for `customer` (None: a walk-in, found or created from the
    details they gave) and apply its outcome. Raises ContactInvalid, writing nothing.

    The contact's token makes it idempotent: the same token at the same store answers the
    contact already logged (`repeated=True`) and writes nothing new."""
    _check(contact, customer.pk if customer else None)
    with transaction.atomic():
        result = ingest(_inbound(staff=staff, store=store, customer=customer, contact=contact))
        if not result.created:
            existing = StoreContact.objects.select_related("ticket__owner").filter(
                message_id=result.message_id).first()
            if existing is not None:
                return LoggedContact(existing, existing.ticket.owner, repeated=True)
        if customer is None:  # a walk-in's order can only be checked once we know who it is
            _check(contact, result.customer_id)
        ticket = Ticket.objects.select_related("customer", "owner", "team", "store").get(pk=result.ticket_id)
        if contact.order is not None:
            ticket = ticket_link_order(ticket=ticket, order=contact.order, actor=staff)
        applied = _APPLY[contact.outcome](ticket=ticket, staff=staff, store=store, contact=contact)
        logged = StoreContact.objects.create(
            store=store, staff=staff, customer_id=result.customer_id, ticket_id=ticket.pk,
            message_id=result.message_id, reason=contact.reason, order=contact.order,
            outcome=contact.outcome, walk_in=customer is None,
        )
        entries.record(timeline.store_visit(logged))
    return LoggedContact(logged, **applied)


def _inbound(*, staff: User, store: Store, customer: Customer | None,
             contact: CounterContact) -> InboundMessage:
    subject = contact.reason.name + (f" — order {contact.order.number}" if contact.order else "")
    return InboundMessage(
        channel="instore",
        account=COUNTER_ACCOUNT.format(store=store.pk),
        external_id=f"counter-{contact.token}",
        sender=contact.walk_in or SenderClaims(),
        customer_id=customer.pk if customer else None,
        text=contact.text,
        subject=subject,
        store_id=store.pk,
        author_id=staff.pk,
        attachments=contact.photos,
        thread=ThreadHints(ticket=contact.about_ticket),
        new_ticket=contact.about_ticket is None,
    )


def _solve(*, ticket: Ticket, staff: User, store: Store, contact: CounterContact) -> dict:
    """Solved on the spot: the staff member owns and solves it (first contact resolution)."""
    is_first_contact = ticket.message_count == 1
    if ticket.owner_id != staff.pk:
        ticket = ticket_assign(ticket=ticket, owner=staff, actor=staff, note=contact.note)
    elif contact.note:
        ticket_add_note(ticket=ticket, author=staff, text=contact.note)
    ticket = ticket_set_status(ticket=ticket, status=Status.SOLVED, actor=staff)
    if is_first_contact:
        Ticket.objects.filter(pk=ticket.pk).update(solved_on_first_contact=True)
    return {"owner": staff}


def _hand_over(*, ticket: Ticket, staff: User, store: Store, contact: CounterContact) -> dict:
    """The service team takes over: an owner, the handover note, and the customer is told."""
    owner = contact.owner or _service_owner(ticket, store)
    note = contact.note or contact.text
    if owner is not None and owner.pk != ticket.owner_id:
        ticket = ticket_assign(ticket=ticket, owner=owner, actor=staff, note=note)
    else:
        ticket_add_note(ticket=ticket, author=staff, text=note)
    warnings = [] if owner else ["Nobody in the service team is available: the ticket waits "
                                 "unassigned in their queue."]
    told_on = _tell_customer(ticket=ticket, staff=staff, store=store, owner=owner)
    if not told_on:
        warnings.append("The customer has no channel we can write to: tell them in person "
                        "who will follow up.")
    return {"owner": owner, "told_on": told_on, "warnings": warnings}


def _store_follow_up(*, ticket: Ticket, staff: User, store: Store, contact: CounterContact) -> dict:
    """The store keeps it: the staff member who logged it owns it."""
    if ticket.owner_id != staff.pk:
        ticket_assign(ticket=ticket, owner=staff, actor=staff,
                      note=contact.note or f"Follow-up by {store.name}")
    elif contact.note:
        ticket_add_note(ticket=ticket, author=staff, text=contact.note)
    if ticket.status == Status.NEW:
        ticket_set_status(ticket=ticket, status=Status.OPEN, actor=staff)
    return {"owner": staff}


_APPLY = {
    Outcome.SOLVED: _solve,
    Outcome.HANDED_OVER: _hand_over,
    Outcome.STORE_FOLLOW_UP: _store_follow_up,
}


def _service_owner(ticket: Ticket, store: Store) -> User | None:
    """Keep an active service owner; else the customer's previous owner; else the team's
    least-loaded agent (principle 4, as routing does for every new ticket)."""
    current = ticket.owner
    if current is not None and current.is_active and current.role != Role.STORE_STAFF:
        return current
    owner = routing.previous_owner(ticket.customer_id)
    if owner is None:
        team = store.team or ticket.team or routing.team_for(channel="instore", store_id=store.pk)
        owner = routing.least_loaded_agent(team) if team else None
    return owner


def handover_text(*, customer: Customer, store: Store, owner: User | None) -> str:
    """What the customer reads: who follows up what they asked in the store."""
    first = (customer.name or "").split(" ")[0]
    who = (owner.display_name.split(" ")[0] if owner else "")
    if customer.language == "nl":
        greeting = f"Hoi {first}," if first else "Hoi,"
        person = f"{who} van onze klantenservice" if who else "Onze klantenservice"
        return (f"{greeting} bedankt voor je bezoek aan onze winkel {store.name}. {person} "
                "neemt je vraag over en neemt via dit kanaal contact met je op.")
    greeting = f"Hi {first}," if first else "Hi,"
    person = f"{who} from our customer service" if who else "Our customer service"
    return (f"{greeting} thank you for visiting our {store.name} store. {person} will take "
            "over your question and get back to you here.")


def _tell_customer(*, ticket: Ticket, staff: User, store: Store, owner: User | None) -> str:
    """Queue the handover notice on the customer's own channel: the one they last wrote on
    that a reply can reach, else the first reachable one. Returns the channel, or ""."""
    channel = customer_latest_channel(ticket.customer_id)
    if not channel:
        return ""
    text = handover_text(customer=ticket.customer, store=store, owner=owner)
    message = ticket_reply(ticket=ticket, author=staff, text=text, channel=channel)
    return message.channel


# --- consent -------------------------------------------------------------------------


def consent_record(*, customer: Customer, decisions: dict[tuple[str, str], bool], actor: User,
                   store: Store) -> list[Consent]:
    """Record the decisions the customer made at the counter that differ from what is in
    force; each is a new row (history is kept) with its timeline entry."""
    in_force = {(c.channel, c.purpose): c.granted for c in current_consents(customer)}
    changed = [(key, granted) for key, granted in sorted(decisions.items())
               if in_force.get(key) != granted]
    if not changed:
        return []
    with transaction.atomic():
        rows = Consent.objects.bulk_create([
            Consent(customer=customer, channel=channel, purpose=purpose, granted=granted,
                    source=f"store {store.code}"[:64], recorded_by=actor)
            for (channel, purpose), granted in changed
        ])
        entries.record([timeline.consent_changed(row, store=store) for row in rows])
    return rows
