"""An order, an email, a chat and a store visit end up as one customer with one ticket."""

from __future__ import annotations

import pytest

from helpdesk.customers.models import Customer
from helpdesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def inbound(api, **payload):
    response = api.post("/api/v1/inbound/api/", payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_order_email_chat_and_counter_visit_share_one_ticket_and_owner(admin_api, sanne, store):
    order = admin_api.post(
        "/api/v1/orders/",
        {
            "source": "webshop",
            "external_id": "wc-9001",
            "number": "100234",
            "email": "Anna.de.Boer@Example.NL",
            "phone": "+31 6 12345678",
            "name": "Anna de Boer",
            "status": "shipped",
            "placed_at": "2026-11-20T10:00:00+01:00",
            "total": "89.95",
            "lines": [{"sku": "JKT-1", "title": "Regenjas", "quantity": 1, "price": "89.95"}],
            "shipments": [{"carrier": "PostNL", "tracking_number": "3SABC123", "status": "in_transit"}],
        },
        format="json",
    )
    assert order.status_code == 201, order.json()
    customer_id = order.json()["customer"]

    email = inbound(
        admin_api,
        channel="email",
        external_id="<m1@mail.example.nl>",
        **{"from": {"email": "anna.de.boer@example.nl", "name": "Anna"}},
        subject="Waar blijft mijn pakket?",
        text="Hoi, mijn bestelling #100234 is nog niet binnen.",
    )
    chat = inbound(
        admin_api,
        channel="chat",
        external_id="chat-1",
        **{"from": {"email": "ANNA.DE.BOER@example.nl"}},
        text="Ik had ook gemaild over mijn regenjas.",
    )
    counter = inbound(
        admin_api,
        channel="instore",
        external_id="store-visit-1",
        store=store.pk,
        **{"from": {"phone": "06 12345678"}},
        text="Klant aan de balie: pakket nog steeds niet ontvangen.",
    )

    assert {email["customer"], chat["customer"], counter["customer"]} == {customer_id}
    assert email["ticket"] == chat["ticket"] == counter["ticket"]
    assert Customer.objects.filter(merged_into__isnull=True).count() == 1
    ticket = Ticket.objects.get()
    assert ticket.owner == sanne
    assert ticket.status == "new"
    assert list(Message.objects.filter(ticket=ticket).values_list("channel", flat=True)) == [
        "email",
        "chat",
        "instore",
    ]

    detail = admin_api.get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert detail["owner"]["id"] == sanne.pk
    assert [o["number"] for o in detail["orders"]] == ["100234"]
    assert len(detail["messages"]) == 3

    timeline = admin_api.get(f"/api/v1/customers/{customer_id}/timeline/").json()["results"]
    oldest_first = [(e["kind"], e["channel"]) for e in reversed(timeline)]
    assert oldest_first == [
        ("order_placed", ""),
        ("ticket_opened", "email"),
        ("message", "email"),
        ("order_linked", ""),
        ("message", "chat"),
        ("message", "instore"),
    ]
    assert timeline[-1]["order"]["number"] == "100234"


def test_order_of_another_customer_is_not_linked(admin_api, sanne):
    admin_api.post(
        "/api/v1/orders/",
        {
            "source": "webshop",
            "external_id": "wc-1",
            "number": "555001",
            "email": "bob@example.com",
            "placed_at": "2026-11-20T10:00:00+01:00",
        },
        format="json",
    )
    result = inbound(
        admin_api,
        channel="email",
        external_id="m-x",
        **{"from": {"email": "eve@example.com"}},
        text="About order 555001, please refund.",
    )
    assert Ticket.objects.get(pk=result["ticket"]).orders.count() == 0


@pytest.mark.parametrize(
    "text",
    [
        "Where is my order 100777?",
        "Order number: 100777 has not arrived",
        "order #100777",
        "Mijn bestelling #100777 is kapot",
        "ordernummer 100777",
        "Bestelnummer: 100777",
    ],
)
def test_order_numbers_in_english_and_dutch_are_linked(admin_api, sanne, text):
    admin_api.post(
        "/api/v1/orders/",
        {
            "source": "webshop",
            "external_id": "wc-7",
            "number": "100777",
            "email": "kim@example.com",
            "placed_at": "2026-11-20T10:00:00+01:00",
        },
        format="json",
    )
    result = inbound(
        admin_api, channel="email", external_id="m-7", **{"from": {"email": "kim@example.com"}}, text=text
    )
    assert list(Ticket.objects.get(pk=result["ticket"]).orders.values_list("number", flat=True)) == ["100777"]
