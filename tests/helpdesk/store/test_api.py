"""POST /api/v1/instore/contacts/: a till or tablet app logs a counter contact through the
same service as the store screen; its effects are read back through the ticket and
timeline API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from helpdesk.customers.models import Customer, CustomerAccess
from helpdesk.orders.services import OrderData, order_upsert
from helpdesk.store.models import StoreContact
from helpdesk.tickets.models import Message, Ticket
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/instore/contacts/"


def contact(**fields) -> dict:
    data = {"reason": "return", "text": "Jas is te klein", "outcome": "solved"}
    data.update(fields)
    return data


@pytest.fixture
def daans_api(api_as, daan, anna):
    """Daan's till after looking Anna up by her email, as the counter does first."""
    api = api_as(daan)
    assert api.get("/api/v1/customers/", {"q": "anna@example.nl"}).json()["count"] == 1
    return api


def kinds(client, customer_id: int, ticket_id: int) -> set[str]:
    timeline = client.get(f"/api/v1/customers/{customer_id}/timeline/").json()["results"]
    return {entry["kind"] for entry in timeline if entry["ticket"] == ticket_id}


def test_a_return_solved_on_the_spot(api_as, daan, store, anna, annas_web_order):
    api = api_as(daan)
    response = api.post(URL, contact(phone="06 12345678", order=annas_web_order.pk,
                                     text="Jas retour, te klein"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["customer"], body["store"], body["outcome"], body["created"]) == (
        anna.pk, store.pk, "solved", True)
    assert body["owner"] == {"id": daan.pk, "name": "Daan Jansen"}
    ticket = api.get(f"/api/v1/tickets/{body['ticket']}/").json()
    assert (ticket["status"], ticket["channel"], ticket["store"]["id"]) == ("solved", "instore", store.pk)
    assert ticket["owner"]["id"] == daan.pk and ticket["subject"] == "Return — order 100234"
    assert [o["number"] for o in ticket["orders"]] == ["100234"]
    message = next(m for m in ticket["messages"] if m["id"] == body["message"])
    assert (message["direction"], message["text"], message["author"]["id"]) == (
        "in", "Jas retour, te klein", daan.pk)
    assert {"message", "store_visit", "order_linked", "status_changed"} <= kinds(api, anna.pk, ticket["id"])
    assert Ticket.objects.get(pk=ticket["id"]).solved_on_first_contact


def test_a_handover_goes_to_the_previous_owner_with_the_note_and_the_customer_is_told(
    daans_api, daan, sanne, pieter, anna, annas_web_order
):
    api = daans_api
    response = api.post(URL, contact(customer=anna.pk, reason="delivery_question", outcome="handover",
                                     text="Pakket niet ontvangen", order="100234",
                                     handover_note="Graag navragen bij PostNL"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["outcome"], body["owner"]["id"], body["told_on"]) == ("handover", sanne.pk, "email")
    ticket = api.get(f"/api/v1/tickets/{body['ticket']}/").json()
    assert (ticket["status"], ticket["owner"]["id"]) == ("open", sanne.pk)
    by_direction = {m["direction"]: m for m in ticket["messages"]}
    assert by_direction["note"]["text"] == "Graag navragen bij PostNL"
    assert by_direction["out"]["channel"] == "email"
    assert "Sanne from our customer service" in by_direction["out"]["text"]
    # Sanne got the ticket from routing as Anna's previous owner; the note tells her what to do.
    assert {"message", "store_visit", "note"} <= kinds(api, anna.pk, ticket["id"])


def test_a_handover_to_a_named_owner(daans_api, daan, sanne, pieter, anna):
    response = daans_api.post(URL, contact(customer=anna.pk, outcome="handover", note="Terugbellen",
                                              owner=pieter.pk), format="json")
    assert response.status_code == 201, response.json()
    assert Ticket.objects.get(pk=response.json()["ticket"]).owner == pieter


def test_a_handover_needs_a_note_and_a_service_owner(daans_api, daan, anna):
    api = daans_api
    response = api.post(URL, contact(customer=anna.pk, outcome="handover"), format="json")
    assert response.status_code == 400
    assert "Say what the service team should do" in response.json()["errors"]["note"][0]
    response = api.post(URL, contact(customer=anna.pk, outcome="handover", note="x", owner=daan.pk),
                        format="json")
    assert response.status_code == 400 and "owner" in response.json()["errors"]
    assert not StoreContact.objects.exists()


def test_follow_up_by_the_store(daans_api, daan, store, anna):
    response = daans_api.post(URL, contact(customer=anna.pk, reason="product_advice",
                                              outcome="store_followup", note="Bellen als maat 42 binnen is"),
                                 format="json")
    assert response.status_code == 201 and response.json()["outcome"] == "store_followup"
    ticket = Ticket.objects.get(pk=response.json()["ticket"])
    assert (ticket.owner, ticket.status, ticket.store) == (daan, "open", store)


def test_a_walk_in_without_details_is_an_anonymous_customer(api_as, daan):
    response = api_as(daan).post(URL, contact(reason="other", text="Vraag over openingstijden"),
                                 format="json")
    assert response.status_code == 201, response.json()
    customer = Customer.objects.get(pk=response.json()["customer"])
    assert customer.name == "" and not customer.identities.exists()


def test_a_walk_in_who_gives_an_email_is_found_or_made_with_it(api_as, daan, anna):
    api = api_as(daan)
    found = api.post(URL, contact(email="Anna@Example.NL"), format="json").json()
    assert found["customer"] == anna.pk
    made = api.post(URL, contact(email="kees@example.nl", name="Kees"), format="json").json()
    kees = Customer.objects.get(pk=made["customer"])
    assert kees.name == "Kees" and kees.identities.get().value == "kees@example.nl"


def test_the_order_number_finds_the_customer_links_the_order_and_is_audited(
    api_as, daan, store, anna, annas_web_order
):
    response = api_as(daan).post(URL, contact(order_number="#100234"), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["customer"] == anna.pk
    assert list(Ticket.objects.get(pk=response.json()["ticket"]).orders.all()) == [annas_web_order]
    access = CustomerAccess.objects.get(customer=anna, query="100234")
    assert (access.user, access.store, access.query) == (daan, store, "100234")


def test_an_order_of_another_customer_is_refused_and_nothing_is_logged(daans_api, daan, anna):
    other, _ = order_upsert(OrderData(source="webshop", external_id="x1", number="555555",
                                      email="bram@example.nl", placed_at=datetime(2026, 1, 1, tzinfo=UTC)))
    api = daans_api
    for order in (other.pk, "555555", 999999):
        response = api.post(URL, contact(customer=anna.pk, order=order), format="json")
        assert response.status_code == 400
        assert response.json()["errors"]["order"] == ["Pick one of this customer's orders."]
    # A walk-in found by email is Anna: Bram's order is not hers either.
    response = api.post(URL, contact(email="anna@example.nl", order=other.pk), format="json")
    assert response.status_code == 400 and "order" in response.json()["errors"]
    assert not StoreContact.objects.exists()
    assert not Message.objects.filter(channel="instore").exists()


def test_a_retry_with_the_same_external_id_logs_once(daans_api, daan, anna):
    api = daans_api
    payload = contact(customer=anna.pk, external_id="till-1-0042", outcome="store_followup")
    first = api.post(URL, payload, format="json")
    again = api.post(URL, payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() | {"created": True, "warnings": []} == first.json() | {"warnings": []}
    assert again.json()["created"] is False
    assert StoreContact.objects.count() == 1
    assert Message.objects.filter(channel="instore", direction="in").count() == 1
    # A walk-in retried is not a second anonymous customer either.
    walk_in = contact(external_id="till-1-0043")
    assert api.post(URL, walk_in, format="json").json()["customer"] == \
        api.post(URL, walk_in, format="json").json()["customer"]
    assert Customer.objects.filter(name="").count() == 1
    # Without a key every POST is a contact of its own.
    api.post(URL, contact(customer=anna.pk), format="json")
    api.post(URL, contact(customer=anna.pk), format="json")
    assert StoreContact.objects.count() == 4


def test_bad_input_gets_clear_errors(api_as, daan, anna):
    api = api_as(daan)
    response = api.post(URL, {"reason": "smalltalk", "outcome": "maybe", "phone": "abc",
                              "order": True}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "No such reason. One of: return, exchange" in errors["reason"][0]
    assert set(errors) == {"reason", "outcome", "phone", "order", "text"}
    response = api.post(URL, contact(order_number="424242"), format="json")
    assert response.json()["errors"]["order_number"] == ["No order with this number."]


def test_anonymous_callers_are_401(db):
    assert APIClient().post(URL, contact(), format="json").status_code == 401


def test_service_agents_are_refused_as_on_the_screen(api_as, sanne, anna):
    response = api_as(sanne).post(URL, contact(customer=anna.pk), format="json")
    assert response.status_code == 403
    assert not StoreContact.objects.exists()


def test_store_staff_log_only_for_their_own_stores(api_as, daan, anna, other_store):
    response = api_as(daan).post(URL, contact(customer=anna.pk, store=other_store.pk), format="json")
    assert response.status_code == 404 and response.json()["detail"] == "No such store."
    lonely = UserFactory(username="lonely", role="store_staff")
    assert api_as(lonely).post(URL, contact(), format="json").status_code == 403
    assert not StoreContact.objects.exists()


def test_store_staff_reach_only_customers_they_looked_up(api_as, other_store, anna):
    ilse = UserFactory(username="ilse", role="store_staff")
    ilse.stores.add(other_store)
    api = api_as(ilse)
    assert api.post(URL, contact(customer=anna.pk), format="json").status_code == 404
    assert api.get("/api/v1/customers/", {"q": "anna@example.nl"}).json()["count"] == 1
    response = api.post(URL, contact(customer=anna.pk), format="json")
    assert response.status_code == 201 and response.json()["store"] == other_store.pk


def test_managers_and_admins_log_for_any_store_they_name(api_as, fatima, admin_user, anna, other_store):
    for person in (fatima, admin_user):
        api = api_as(person)
        assert api.post(URL, contact(customer=anna.pk), format="json").json()["errors"] == {
            "store": ["Say which store the customer is at."]}
        response = api.post(URL, contact(customer=anna.pk, store=other_store.pk), format="json")
        assert response.status_code == 201 and response.json()["store"] == other_store.pk


def test_the_endpoint_is_in_the_openapi_schema(admin_api):
    schema = admin_api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/instore/contacts/" in text and "InStoreContactRequest" in text
