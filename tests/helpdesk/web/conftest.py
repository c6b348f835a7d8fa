"""The workspace cast: Anna writes in on email and WhatsApp and has orders; clients per person."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client

from helpdesk.orders.services import LineData, OrderData, ReturnData, ShipmentData, order_upsert
from helpdesk.tickets.models import Ticket
from tests.helpdesk.inbound.helpers import contact


@pytest.fixture
def web_as():
    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for


def annas_order(number: str = "100234", *, shipment: str = "in_transit", refunded: str = "0") -> None:
    order_upsert(
        OrderData(
            source="webshop",
            external_id=f"o-{number}",
            number=number,
            email="anna@example.nl",
            placed_at=datetime(2026, 11, 1, 10, 0, tzinfo=UTC),
            status="shipped",
            total=Decimal("89.95"),
            lines=(LineData(title="Regenjas", sku="JKT-1", price=Decimal("89.95")),),
            shipments=(ShipmentData(carrier="PostNL", tracking_number="3SABC123", status=shipment),),
            returns=(
                ReturnData(
                    status="received", reason="te klein", lines=("JKT-1",), refunded=Decimal(refunded)
                ),
            )
            if refunded != "0"
            else (),
        )
    )


@pytest.fixture
def annas_ticket(sanne):
    """Anna first emails, then follows up on WhatsApp: one ticket, latest channel WhatsApp."""
    contact(
        "email",
        email="anna@example.nl",
        name="Anna de Boer",
        text="Mijn jas is te klein",
        subject="Jas te klein",
    )
    result = contact(
        "whatsapp", phone="+31612345678", handle="31612345678", email="anna@example.nl", text="Kan ik ruilen?"
    )
    return Ticket.objects.select_related("customer").get(pk=result.ticket_id)
