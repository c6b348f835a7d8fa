"""Assign with a note, reply on the customer's channel, notes, status changes, linking orders."""

from __future__ import annotations

import pytest

from helpdesk.tickets.models import Message, Ticket
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def annas_ticket(sanne):
    contact("email", email="anna@example.nl", name="Anna", text="Mijn jas is te klein")
    result = contact(
        "whatsapp", phone="+31612345678", handle="31612345678", email="anna@example.nl", text="Kan ik ruilen?"
    )
    return Ticket.objects.get(pk=result.ticket_id)


def test_assign_is_an_explicit_handover_with_a_note_on_the_timeline(api_as, sanne, pieter, annas_ticket):
    response = api_as(sanne).post(
        f"/api/v1/tickets/{annas_ticket.pk}/assign/",
        {"owner": pieter.pk, "note": "Pieter kent de ruilregels"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["owner"] == {"id": pieter.pk, "name": "Pieter Bakker"}
    entry = (
        api_as(sanne)
        .get(f"/api/v1/customers/{annas_ticket.customer_id}/timeline/?kind=owner_changed")
        .json()["results"][0]
    )
    assert entry["data"]["from"]["id"] == sanne.pk
    assert entry["data"]["to"]["id"] == pieter.pk
    assert entry["data"]["note"] == "Pieter kent de ruilregels"


def test_assign_to_an_unknown_or_inactive_agent_is_refused(api_as, sanne, pieter, annas_ticket):
    pieter.is_active = False
    pieter.save()
    response = api_as(sanne).post(
        f"/api/v1/tickets/{annas_ticket.pk}/assign/", {"owner": pieter.pk}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()["errors"]


def test_reply_defaults_to_the_channel_of_the_latest_customer_message(api_as, sanne, annas_ticket):
    response = api_as(sanne).post(
        f"/api/v1/tickets/{annas_ticket.pk}/reply/", {"text": "Ja hoor, kom maar langs."}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["direction"], body["delivery_status"]) == ("whatsapp", "out", "queued")
    annas_ticket.refresh_from_db()
    assert annas_ticket.first_response_at is not None
    assert annas_ticket.status == "open"


def test_reply_can_switch_to_another_channel_the_customer_can_be_reached_on(api_as, sanne, annas_ticket):
    response = api_as(sanne).post(
        f"/api/v1/tickets/{annas_ticket.pk}/reply/",
        {"text": "Zie uw mail", "channel": "email"},
        format="json",
    )
    assert response.json()["channel"] == "email"
    refused = api_as(sanne).post(
        f"/api/v1/tickets/{annas_ticket.pk}/reply/", {"text": "Hoi", "channel": "messenger"}, format="json"
    )
    assert refused.status_code == 400
    assert "cannot be reached on messenger" in refused.json()["detail"]


def test_internal_notes_are_not_replies(api_as, sanne, annas_ticket):
    response = api_as(sanne).post(
        f"/api/v1/tickets/{annas_ticket.pk}/notes/", {"text": "Klant is vaste klant"}, format="json"
    )
    assert response.json()["direction"] == "note"
    annas_ticket.refresh_from_db()
    assert annas_ticket.first_response_at is None
    assert annas_ticket.last_message_preview == "Kan ik ruilen?"


def test_status_changes_are_recorded_and_closed_is_final(api_as, sanne, annas_ticket):
    api = api_as(sanne)
    assert (
        api.post(f"/api/v1/tickets/{annas_ticket.pk}/status/", {"status": "solved"}, format="json").json()[
            "status"
        ]
        == "solved"
    )
    assert (
        api.post(f"/api/v1/tickets/{annas_ticket.pk}/status/", {"status": "open"}, format="json").json()[
            "reopen_count"
        ]
        == 1
    )
    api.post(f"/api/v1/tickets/{annas_ticket.pk}/status/", {"status": "closed"}, format="json")
    refused = api.post(f"/api/v1/tickets/{annas_ticket.pk}/status/", {"status": "open"}, format="json")
    assert refused.status_code == 409
    bad = api.post(f"/api/v1/tickets/{annas_ticket.pk}/status/", {"status": "weg"}, format="json")
    assert bad.status_code == 400
    kinds = [
        e["summary"]
        for e in api.get(
            f"/api/v1/customers/{annas_ticket.customer_id}/timeline/?kind=status_changed"
        ).json()["results"]
    ]
    assert kinds == ["Status: open → closed", "Status: solved → open", "Status: new → solved"]


def test_link_an_order_of_the_customer_and_refuse_someone_elses(api_as, admin_api, sanne, annas_ticket):
    mine = admin_api.post(
        "/api/v1/orders/",
        {
            "source": "pos",
            "external_id": "r-1",
            "number": "S-0001",
            "email": "anna@example.nl",
            "placed_at": "2026-11-01T12:00:00+01:00",
        },
        format="json",
    ).json()
    theirs = admin_api.post(
        "/api/v1/orders/",
        {
            "source": "pos",
            "external_id": "r-2",
            "number": "S-0002",
            "email": "bob@example.nl",
            "placed_at": "2026-11-01T12:00:00+01:00",
        },
        format="json",
    ).json()
    api = api_as(sanne)
    linked = api.post(f"/api/v1/tickets/{annas_ticket.pk}/orders/", {"order": mine["id"]}, format="json")
    assert [o["number"] for o in linked.json()["orders"]] == ["S-0001"]
    refused = api.post(f"/api/v1/tickets/{annas_ticket.pk}/orders/", {"order": theirs["id"]}, format="json")
    assert refused.status_code == 400


def test_open_a_ticket_by_hand_for_a_caller(api_as, sanne):
    response = api_as(sanne).post(
        "/api/v1/tickets/",
        {
            "customer_phone": "06 87654321",
            "customer_name": "Bram",
            "subject": "Belde over levering",
            "text": "Klant belt: pakket is niet aangekomen",
            "channel": "phone",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"]["id"] == sanne.pk
    assert body["customer"]["identities"] == [{"kind": "phone", "value": "+31687654321", "verified": False}]
    assert Message.objects.get(ticket_id=body["id"]).author == sanne


def test_open_by_hand_needs_a_customer(api_as, sanne):
    response = api_as(sanne).post("/api/v1/tickets/", {"subject": "x", "text": "y"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "Give the customer: `customer`, `customer_email` or `customer_phone`."
    ]
