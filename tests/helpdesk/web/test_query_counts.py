"""The inbox and the ticket page cost the same number of queries for one ticket as for many,
with many messages, orders, consents and handovers: everything is fetched up front."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents.models import CannedReply
from helpdesk.customers.models import Consent
from helpdesk.orders.models import Order
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import ticket_add_note, ticket_assign, ticket_link_orders, ticket_reply
from tests.helpdesk.inbound.helpers import contact
from tests.helpdesk.web.conftest import annas_order

pytestmark = pytest.mark.django_db

# Session and user are 2 of each; the chat channel's conversation lookup is 1 of the ticket's.
BUDGET = {"inbox": 6, "rows": 5, "ticket": 19, "live": 5}


def grow(ticket: Ticket, sanne, pieter, size: int) -> None:
    """Give Anna `size` times more of everything the pages show."""
    for i in range(size):
        contact("email", email=f"klant{i}@example.nl", name=f"Klant {i}", text=f"vraag {i}")
        contact("whatsapp", phone="+31612345678", handle="31612345678", text=f"nog iets {i}")
        ticket_reply(ticket=ticket, author=sanne, text=f"antwoord {i}", channel="email")
        ticket_add_note(ticket=ticket, author=pieter, text=f"notitie {i}")
        ticket_assign(ticket=ticket, owner=pieter if i % 2 else sanne, actor=sanne, note=f"over {i}")
        annas_order(f"20{i:04d}", refunded="10.00")
        Consent.objects.create(
            customer=ticket.customer, channel="email", purpose="surveys", granted=bool(i % 2)
        )
        CannedReply.objects.create(title=f"Antwoord {i}", body="Hoi {{ customer.name }}, {{ order.number }}")
    ticket_link_orders(ticket=ticket, orders=list(Order.objects.all()))


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def measure(client, ticket) -> dict[str, int]:
    return {
        "inbox": count(client, "/inbox/"),
        "rows": count(client, "/inbox/rows/"),
        "ticket": count(client, f"/tickets/{ticket.pk}/"),
        "live": count(client, f"/tickets/{ticket.pk}/live/"),
    }


def test_query_counts_do_not_grow_with_the_data(
    web_as, sanne, pieter, annas_ticket, django_assert_max_num_queries
):
    client = web_as(sanne)
    grow(annas_ticket, sanne, pieter, 1)
    small = measure(client, annas_ticket)
    grow(annas_ticket, sanne, pieter, 12)
    big = measure(client, annas_ticket)
    assert big == small
    for page, budget in BUDGET.items():
        assert big[page] <= budget, (page, big[page])
    with django_assert_max_num_queries(BUDGET["ticket"]):
        client.get(f"/tickets/{annas_ticket.pk}/")
    with django_assert_max_num_queries(BUDGET["inbox"]):
        client.get("/inbox/?view=team&sla=on")
