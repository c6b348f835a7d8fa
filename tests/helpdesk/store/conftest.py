"""The counter cast: Anna with a web-shop order and a loyalty card; clients per person."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from helpdesk.customers.models import Identity
from helpdesk.orders.models import Order
from helpdesk.store.models import ContactReason
from tests.helpdesk.inbound.helpers import contact
from tests.helpdesk.web.conftest import annas_order

# A real 1x1 PNG: what the counter accepts as a photo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def web_as():
    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for


@pytest.fixture
def anna(sanne):
    """Anna emailed the service team (Sanne owns that ticket, now solved) and has a web order."""
    result = contact("email", email="anna@example.nl", name="Anna de Boer", text="Waar is mijn jas?",
                     subject="Levering")
    annas_order("100234")
    Identity.objects.create(customer_id=result.customer_id, kind="loyalty_card", value="BL000123")
    Identity.objects.create(customer_id=result.customer_id, kind="phone", value="+31612345678")
    from helpdesk.tickets.models import Ticket
    from helpdesk.tickets.services import ticket_set_status

    ticket = Ticket.objects.get(pk=result.ticket_id)
    ticket_set_status(ticket=ticket, status="solved", actor=sanne)
    from helpdesk.customers.models import Customer

    return Customer.objects.get(pk=result.customer_id)


@pytest.fixture
def annas_web_order(anna) -> Order:
    return Order.objects.get(number="100234")


def reason(name: str) -> ContactReason:
    return ContactReason.objects.get(name=name)


def contact_form(**fields) -> dict:
    data = {"token": fields.pop("token", "t-" + str(id(fields))), "text": "Jas is te klein",
            "outcome": "solved", "about": "new"}
    data.update(fields)
    return data


@pytest.fixture
def counter(web_as, daan, anna) -> Client:
    """Daan's counter screen after looking Anna up by her phone number."""
    client = web_as(daan)
    assert client.get("/store/", {"q": "06 12345678", "key": "phone"}).status_code == 200
    return client
