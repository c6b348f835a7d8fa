"""SQL queries per request are constant in the page size and within budget."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import ticket_add_note, ticket_link_orders, ticket_reply
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db

BUDGET = {"inbox": 8, "ticket": 12, "timeline": 6, "inbound": 15}


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code in (200, 201), getattr(response, "data", response)
    return len(captured)


@pytest.fixture
def busy_helpdesk(admin_api, sanne, pieter, store):
    for i in range(12):
        contact(
            "instore" if i % 3 == 0 else "email",
            email=f"klant{i}@example.nl",
            store_id=store.pk if i % 3 == 0 else None,
            text=f"Vraag {i} over order 10{i:04d}",
        )
    ticket = Ticket.objects.order_by("id").first()
    for i in range(12):
        admin_api.post(
            "/api/v1/orders/",
            {
                "source": "webshop",
                "external_id": f"o{i}",
                "number": f"10{i:04d}",
                "email": "klant0@example.nl",
                "placed_at": "2026-11-01T10:00:00Z",
                "lines": [{"title": "Trui", "price": "39.95"}],
            },
            format="json",
        )
        contact("email", email="klant0@example.nl", text=f"nog iets {i}")
        ticket_reply(ticket=ticket, author=sanne, text=f"antwoord {i}", channel="email")
        ticket_add_note(ticket=ticket, author=pieter, text=f"notitie {i}")
    from helpdesk.orders.models import Order

    ticket_link_orders(ticket=ticket, orders=list(Order.objects.all()))
    admin_api.post(
        "/api/v1/inbound/api/",
        {
            "channel": "email",
            "from": {"email": "klant0@example.nl"},
            "text": "foto's",
            "attachments": [
                {
                    "filename": f"foto{i}.jpg",
                    "content_type": "image/jpeg",
                    "content_base64": base64.b64encode(b"\xff\xd8jpeg").decode(),
                }
                for i in range(5)
            ],
        },
        format="json",
    )
    return ticket


@pytest.mark.parametrize("view", ["all", "mine", "unassigned", "team", "store"])
def test_inbox_page(api_as, sanne, busy_helpdesk, view):
    api = api_as(sanne)
    small = queries(lambda: api.get(f"/api/v1/tickets/?view={view}&page_size=2"))
    large = queries(lambda: api.get(f"/api/v1/tickets/?view={view}&page_size=50"))
    assert small == large <= BUDGET["inbox"]


def test_inbox_page_for_store_staff(api_as, daan, busy_helpdesk):
    api = api_as(daan)
    small = queries(lambda: api.get("/api/v1/tickets/?page_size=2"))
    large = queries(lambda: api.get("/api/v1/tickets/?page_size=50"))
    assert small == large <= BUDGET["inbox"]


def test_ticket_detail(api_as, sanne, busy_helpdesk):
    api = api_as(sanne)
    few = Ticket.objects.exclude(pk=busy_helpdesk.pk).first()
    assert busy_helpdesk.messages.count() > 30
    assert (
        queries(lambda: api.get(f"/api/v1/tickets/{few.pk}/"))
        == queries(lambda: api.get(f"/api/v1/tickets/{busy_helpdesk.pk}/"))
        <= BUDGET["ticket"]
    )


def test_customer_timeline_page(api_as, sanne, busy_helpdesk):
    api = api_as(sanne)
    customer = busy_helpdesk.customer_id
    small = queries(lambda: api.get(f"/api/v1/customers/{customer}/timeline/?page_size=3"))
    large = queries(lambda: api.get(f"/api/v1/customers/{customer}/timeline/?page_size=200"))
    assert small == large <= BUDGET["timeline"]


def test_customer_timeline_page_for_store_staff(api_as, daan, busy_helpdesk):
    instore = Ticket.objects.filter(store__isnull=False).first()
    api = api_as(daan)
    assert (
        queries(lambda: api.get(f"/api/v1/customers/{instore.customer_id}/timeline/")) <= BUDGET["timeline"]
    )


@pytest.mark.parametrize(
    "case", ["new customer", "known customer, open ticket", "known, with orders", "redelivery"]
)
def test_one_inbound_contact(admin_api, busy_helpdesk, case):
    payload = {
        "channel": "whatsapp",
        "external_id": "w-1",
        "from": {"phone": "+31600000001"},
        "text": "Hallo",
    }
    if case != "new customer":
        payload["from"] = {"email": "klant0@example.nl", "phone": "+31600000002"}
    if case == "known, with orders":
        payload["text"] = "Over bestelling 100001 en order 100002"
    if case == "redelivery":
        admin_api.post("/api/v1/inbound/api/", payload, format="json")
    assert (
        queries(lambda: admin_api.post("/api/v1/inbound/api/", payload, format="json")) <= BUDGET["inbound"]
    )
