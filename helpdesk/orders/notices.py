"""Proactive shipping notices: when a parcel runs into trouble the retailer speaks first.

A shipment turning delayed or failed opens one ticket for the customer's previous
owner (else the service team), with the order linked and a drafted message in an
internal note for the agent to send on the customer's channel. One notice per
shipment per troubled state, guarded by a unique row, so repeats and races add nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction

from agents.routing import least_loaded_agent, previous_owner, team_for
from channels_integrations import registry
from helpdesk import events
from helpdesk.customers.models import Customer
from helpdesk.orders.models import Shipment, ShipmentNotice
from helpdesk.orders.tracking import TrackingStatus
from helpdesk.realtime import notify
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.selectors import customer_latest_channel
from helpdesk.tickets.services import ticket_add_note, ticket_link_orders, ticket_open

logger = logging.getLogger(__name__)

_SUBJECT = {
    TrackingStatus.DELAYED: "Order {number} is delayed",
    TrackingStatus.FAILED_ATTEMPT: "Order {number}: delivery attempt failed",
    TrackingStatus.FAILED: "Order {number}: problem with the delivery",
}
_DRAFT = {
    TrackingStatus.DELAYED: (
        "{hello}\n\nYour order {number} is taking longer than planned: {carrier} reports a delay. "
        "We are keeping an eye on it and will let you know as soon as it is on its way again.{tracking}"
        "\n\nSorry for the wait!"
    ),
    TrackingStatus.FAILED_ATTEMPT: (
        "{hello}\n\n{carrier} tried to deliver your order {number} but could not. "
        "Shall we help you choose a new delivery moment or a pick-up point?{tracking}"
    ),
    TrackingStatus.FAILED: (
        "{hello}\n\n{carrier} reports a problem with the delivery of your order {number}. "
        "We are sorting it out with them and will come back to you shortly.{tracking}"
    ),
}


def draft_text(shipment: Shipment, customer: Customer, state: str) -> str:
    first_name = (customer.name or "").split(" ")[0]
    tracking = f"\nTrack and trace: {shipment.tracking_number}" if shipment.tracking_number else ""
    return _DRAFT[state].format(
        hello=f"Hello {first_name}," if first_name else "Hello,",
        number=shipment.order.number,
        carrier=shipment.carrier or "The carrier",
        tracking=tracking,
    )


def shipment_notice_open(*, shipment_id: int, state: str) -> Ticket | None:
    """Open the proactive ticket, once; None when already done or the shipment moved on."""
    if state not in _DRAFT:
        return None
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(of=("self",))
            .select_related("order__customer")
            .filter(pk=shipment_id)
            .first()
        )
        if shipment is None or shipment.status != state:
            return None
        notice, created = ShipmentNotice.objects.get_or_create(shipment=shipment, state=state)
        if not created:
            return None
        ticket = _open_ticket(shipment, state)
        notice.ticket = ticket
        notice.save(update_fields=["ticket"])
    logger.info("proactive notice: ticket %s for shipment %s (%s)", ticket.pk, shipment_id, state)
    return ticket


def _open_ticket(shipment: Shipment, state: str) -> Ticket:
    order = shipment.order
    customer = order.customer
    while customer.merged_into_id:
        customer = customer.merged_into
    channel = customer_latest_channel(customer.pk) or "email"  # a draft even if unreachable
    team = team_for(channel=channel, store_id=None)
    owner = previous_owner(customer.pk) or (least_loaded_agent(team) if team else None)
    ticket = ticket_open(
        customer=customer,
        channel=channel,
        team=team,
        owner=owner,
        subject=_SUBJECT[state].format(number=order.number),
    )
    ticket_link_orders(ticket=ticket, orders=[order])
    label = registry.spec(channel).label
    note = (
        f"Proactive notice: shipment {shipment.tracking_number or shipment.pk} of order {order.number} "
        f"is now '{state.replace('_', ' ')}' ({shipment.carrier_status or state}).\n"
        f"Draft message to send on {label}:\n\n{draft_text(shipment, customer, state)}"
    )
    # The system writes the draft, not an agent: the note has no author.
    ticket_add_note(ticket=ticket, author=None, text=note)  # type: ignore[arg-type]
    notify.ticket_event(events.TICKET_CREATED, ticket)
    return ticket
