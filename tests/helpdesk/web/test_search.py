"""Global search: customers, tickets (#123 or subject) and orders (number), within reach."""

from __future__ import annotations

import pytest

from helpdesk.customers.models import CustomerAccess
from tests.helpdesk.inbound.helpers import contact
from tests.helpdesk.web.conftest import annas_order

pytestmark = pytest.mark.django_db


def results(client, q: str):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.context


def test_customers_by_name_email_phone_and_order_number(web_as, sanne, annas_ticket):
    annas_order("100234")
    client = web_as(sanne)
    anna = annas_ticket.customer_id
    for query in ("Anna de", "anna@example.nl", "06 12345678", "100234"):
        assert [c.pk for c in results(client, query)["customers"]] == [anna], query


def test_tickets_by_number_or_subject(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    assert [t.pk for t in results(client, f"#{annas_ticket.pk}")["tickets"]] == [annas_ticket.pk]
    assert [t.pk for t in results(client, "jas te")["tickets"]] == [annas_ticket.pk]
    html = client.get("/search/", {"q": "jas te"}).content.decode()
    assert f'href="/tickets/{annas_ticket.pk}/"' in html


def test_orders_by_number(web_as, sanne, annas_ticket):
    annas_order("100234")
    found = results(web_as(sanne), "#100234")["orders"]
    assert [o.number for o in found] == ["100234"]


def test_store_staff_find_tickets_in_reach_only_and_their_lookups_are_audited(
    web_as, daan, store, other_store, annas_ticket
):
    here = contact(
        "instore", phone="+31611111111", store_id=store.pk, text="x", subject="Retour winkel"
    ).ticket_id
    contact("instore", phone="+31622222222", store_id=other_store.pk, text="y", subject="Retour elders")
    client = web_as(daan)
    assert [t.pk for t in results(client, "Retour")["tickets"]] == [here]
    assert results(client, f"#{annas_ticket.pk}")["tickets"] == []
    # A counter lookup finds the customer (and records who looked), as the API does.
    found = results(client, "anna@example.nl")["customers"]
    assert [c.pk for c in found] == [annas_ticket.customer_id]
    assert CustomerAccess.objects.filter(user=daan, customer_id=annas_ticket.customer_id).exists()


def test_store_staff_find_an_order_by_number_as_a_counter_lookup(web_as, daan, annas_ticket):
    annas_order("100234")
    found = results(web_as(daan), "100234")
    assert [o.number for o in found["orders"]] == ["100234"]
    assert CustomerAccess.objects.filter(
        user=daan, customer_id=annas_ticket.customer_id, query="100234"
    ).exists()


def test_an_empty_query_explains_what_to_type(web_as, sanne, db):
    html = web_as(sanne).get("/search/").content.decode()
    assert "Type a name, email address" in html
