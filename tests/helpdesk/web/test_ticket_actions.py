"""Claim, hand over, status, notes, linking orders and replies from the ticket page: each a
CSRF-checked POST that goes through the ticket services and comes back to the ticket."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.test import Client

from helpdesk.orders.models import Order
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeline.models import TimelineEntry
from tests.helpdesk.web.conftest import annas_order

pytestmark = pytest.mark.django_db


def seen(ticket: Ticket) -> dict:
    ticket.refresh_from_db()
    last = TimelineEntry.objects.filter(ticket=ticket).order_by("-id").values_list("id", flat=True).first()
    return {"seen_at": ticket.updated_at.isoformat(), "seen_entry": last}


def post(client, ticket, action, data=None, *, follow=False):
    return client.post(f"/tickets/{ticket.pk}/{action}/", data or {}, follow=follow)


def test_claim_takes_an_unowned_ticket_and_comes_back_with_a_message(web_as, pieter, annas_ticket):
    Ticket.objects.filter(pk=annas_ticket.pk).update(owner=None)
    response = post(web_as(pieter), annas_ticket, "claim", follow=True)
    assert response.redirect_chain == [(f"/tickets/{annas_ticket.pk}/", 302)]
    assert "You own this ticket now." in response.content.decode()
    assert Ticket.objects.get(pk=annas_ticket.pk).owner == pieter


def test_claiming_an_owned_ticket_says_who_owns_it(web_as, sanne, pieter, annas_ticket):
    Ticket.objects.filter(pk=annas_ticket.pk).update(owner=sanne)
    response = post(web_as(pieter), annas_ticket, "claim", follow=True)
    assert "already owned by Sanne de Vries" in response.content.decode()
    assert Ticket.objects.get(pk=annas_ticket.pk).owner == sanne


def test_assign_hands_over_with_a_note_on_the_timeline(web_as, sanne, pieter, annas_ticket):
    response = post(
        web_as(sanne), annas_ticket, "assign", {"owner": pieter.pk, "note": "Pieter kent de ruilregels"}
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=annas_ticket.pk).owner == pieter
    entry = TimelineEntry.objects.filter(ticket=annas_ticket, kind="owner_changed").latest("id")
    assert entry.data["to"]["id"] == pieter.pk and entry.data["note"] == "Pieter kent de ruilregels"
    assert Message.objects.filter(
        ticket=annas_ticket, direction="note", text="Pieter kent de ruilregels"
    ).exists()


def test_assign_to_nobody_puts_it_back_in_the_queue(web_as, sanne, annas_ticket):
    post(web_as(sanne), annas_ticket, "assign", {"owner": "", "note": ""})
    assert Ticket.objects.get(pk=annas_ticket.pk).owner is None


def test_status_change_and_an_impossible_one(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    response = post(client, annas_ticket, "status", {"status": "solved"}, follow=True)
    assert "Status: Solved." in response.content.decode()
    assert Ticket.objects.get(pk=annas_ticket.pk).status == "solved"
    post(client, annas_ticket, "status", {"status": "closed"})
    response = post(client, annas_ticket, "status", {"status": "open"}, follow=True)
    assert "A closed ticket cannot change" in response.content.decode()
    assert Ticket.objects.get(pk=annas_ticket.pk).status == "closed"
    response = post(client, annas_ticket, "status", {"status": "bogus"}, follow=True)
    assert response.status_code == 200 and "valid choice" in response.content.decode()


def test_an_internal_note(web_as, sanne, annas_ticket):
    response = post(web_as(sanne), annas_ticket, "note", {"text": "Klant belt morgen terug"})
    assert response.status_code == 302
    note = Message.objects.get(ticket=annas_ticket, direction="note")
    assert (note.text, note.author) == ("Klant belt morgen terug", sanne)


def test_link_an_order_of_the_customer_and_refuse_another_customers(web_as, sanne, annas_ticket):
    from helpdesk.orders.services import OrderData, order_upsert

    annas_order("100234")
    client = web_as(sanne)
    order = Order.objects.get(number="100234")
    response = post(client, annas_ticket, "orders", {"order": order.pk}, follow=True)
    assert "Order 100234 linked to this ticket." in response.content.decode()
    assert list(Ticket.objects.get(pk=annas_ticket.pk).orders.all()) == [order]

    from datetime import datetime

    other, _ = order_upsert(
        OrderData(
            source="webshop",
            external_id="x",
            number="555555",
            email="bram@example.nl",
            placed_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
    )
    response = post(client, annas_ticket, "orders", {"order": other.pk}, follow=True)
    assert "belongs to another customer" in response.content.decode()
    assert post(client, annas_ticket, "orders", {"order": "abc"}, follow=True).status_code == 200


def test_a_reply_goes_out_on_the_chosen_channel(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    response = post(client, annas_ticket, "reply", {"text": "Ja hoor", **seen(annas_ticket)}, follow=True)
    assert "Reply queued on WhatsApp." in response.content.decode()
    response = post(
        client, annas_ticket, "reply", {"text": "Per mail", "channel": "email", **seen(annas_ticket)}
    )
    assert response.status_code == 302
    sent = list(Message.objects.filter(ticket=annas_ticket, direction="out").values_list("channel", "text"))
    assert sent == [("whatsapp", "Ja hoor"), ("email", "Per mail")]


def test_a_reply_on_a_channel_the_customer_lacks_keeps_the_text(web_as, sanne, annas_ticket):
    response = post(
        web_as(sanne),
        annas_ticket,
        "reply",
        {"text": "Via Instagram dan", "channel": "instagram", **seen(annas_ticket)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be reached on instagram" in html
    assert ">Via Instagram dan</textarea>" in html
    assert not Message.objects.filter(ticket=annas_ticket, direction="out").exists()


def test_an_empty_reply_is_refused_with_the_page(web_as, sanne, annas_ticket):
    response = post(web_as(sanne), annas_ticket, "reply", {"text": "", **seen(annas_ticket)})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_actions_only_accept_post(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    for action in ("claim", "assign", "status", "note", "reply", "orders"):
        assert client.get(f"/tickets/{annas_ticket.pk}/{action}/").status_code == 405


def test_every_post_needs_the_csrf_token(sanne, annas_ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sanne)
    for action, data in [
        ("claim", {}),
        ("note", {"text": "x"}),
        ("reply", {"text": "x", **seen(annas_ticket)}),
        ("status", {"status": "solved"}),
    ]:
        assert client.post(f"/tickets/{annas_ticket.pk}/{action}/", data).status_code == 403
    assert not Message.objects.filter(ticket=annas_ticket, direction__in=["out", "note"]).exists()
    page = client.get(f"/tickets/{annas_ticket.pk}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 6


def test_signed_out_posts_go_to_the_login_page(client, annas_ticket):
    response = client.post(f"/tickets/{annas_ticket.pk}/claim/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
