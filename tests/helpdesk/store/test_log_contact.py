"""Logging a counter contact: through ingest(), then the outcome through the ticket services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.orders.services import OrderData, order_upsert
from helpdesk.store.models import StoreContact
from helpdesk.tickets.models import Direction, Message, Ticket
from helpdesk.timeline.models import EntryKind, TimelineEntry
from tests.helpdesk.store.conftest import PNG, contact_form, reason

pytestmark = pytest.mark.django_db


def log(client, customer, **fields):
    return client.post(f"/store/customers/{customer.pk}/contacts/", contact_form(**fields))


def test_a_return_solved_on_the_spot(counter, daan, store, anna, annas_web_order):
    response = log(counter, anna, reason=reason("Return").pk, order=annas_web_order.pk,
                   text="Jas retour, te klein", outcome="solved")
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = StoreContact.objects.get()
    ticket = Ticket.objects.get(pk=contact.ticket_id)
    assert (ticket.customer_id, ticket.channel, ticket.store_id) == (anna.pk, "instore", store.pk)
    assert ticket.status == "solved" and ticket.owner == daan and ticket.solved_on_first_contact
    assert list(ticket.orders.values_list("number", flat=True)) == ["100234"]
    assert ticket.subject == "Return — order 100234"
    message = Message.objects.get(pk=contact.message_id)
    assert (message.direction, message.author, message.text) == (Direction.IN, daan, "Jas retour, te klein")
    kinds = set(TimelineEntry.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {EntryKind.MESSAGE, EntryKind.STORE_VISIT, EntryKind.ORDER_LINKED,
            EntryKind.STATUS_CHANGED} <= kinds
    visit = TimelineEntry.objects.get(kind=EntryKind.STORE_VISIT)
    assert visit.summary == "Amsterdam Kalverstraat: Return — solved on the spot"
    page = counter.get(response["Location"]).content.decode()
    assert "Logged and solved on the spot" in page


def test_a_handover_gets_the_previous_owner_a_note_and_tells_the_customer(
    counter, daan, sanne, pieter, anna, annas_web_order
):
    response = log(counter, anna, reason=reason("Delivery question").pk, outcome="handed_over",
                   text="Pakket niet ontvangen", note="Graag navragen bij PostNL", order=annas_web_order.pk)
    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=StoreContact.objects.get().ticket_id)
    assert ticket.owner == sanne  # she helped Anna before and is active
    assert ticket.status == "open"
    note = ticket.messages.get(direction=Direction.NOTE)
    assert (note.author, note.text) == (daan, "Graag navragen bij PostNL")
    reply = ticket.messages.get(direction=Direction.OUT)
    # Anna wrote by email: she is told there, through the one outbound path (queued).
    assert reply.channel == "email" and reply.delivery_status in ("queued", "sent", "failed")
    assert "Sanne from our customer service" in reply.text
    assert TimelineEntry.objects.filter(ticket=ticket, kind=EntryKind.NOTE).exists()
    visit = TimelineEntry.objects.get(ticket=ticket, kind=EntryKind.STORE_VISIT)
    assert visit.summary == "Amsterdam Kalverstraat: Delivery question — handed over to the service team"


def test_a_handover_without_a_previous_owner_goes_to_the_least_loaded_agent(
    web_as, daan, sanne, pieter, store
):
    sanne.open_ticket_count = 5
    sanne.save()
    response = web_as(daan).post("/store/walk-in/", contact_form(
        reason=reason("Complaint").pk, outcome="handed_over", note="Bel de klant terug",
        phone="06 99887766", name="Kees"))
    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=StoreContact.objects.get().ticket_id)
    assert ticket.owner == pieter
    assert ticket.messages.get(direction=Direction.OUT).channel in ("sms", "whatsapp", "phone")


def test_a_handover_needs_a_note(counter, daan, anna):
    response = log(counter, anna, reason=reason("Complaint").pk, outcome="handed_over", note="")
    assert response.status_code == 400
    assert "Say what the service team should do" in response.content.decode()
    assert not StoreContact.objects.exists() and not Ticket.objects.filter(channel="instore").exists()


def test_follow_up_by_the_store_is_owned_by_the_staff_member(counter, daan, anna, store):
    log(counter, anna, reason=reason("Product advice").pk, outcome="store_follow_up",
        note="Bellen als maat 42 binnen is")
    ticket = Ticket.objects.get(pk=StoreContact.objects.get().ticket_id)
    assert (ticket.owner, ticket.status, ticket.store) == (daan, "open", store)


def test_pressing_log_twice_logs_once(counter, daan, anna):
    client = counter
    for _ in range(2):
        assert log(client, anna, reason=reason("Return").pk, token="same-token").status_code == 302
    assert StoreContact.objects.count() == 1
    assert Message.objects.filter(channel="instore").count() == 1


def test_a_new_question_does_not_join_an_open_ticket_unless_staff_say_so(counter, daan, anna):
    client = counter
    log(client, anna, reason=reason("Product advice").pk, outcome="store_follow_up", token="a")
    first = StoreContact.objects.get().ticket_id
    log(client, anna, reason=reason("Return").pk, outcome="solved", token="b")
    second = StoreContact.objects.latest("id").ticket_id
    assert second != first and Ticket.objects.get(pk=first).status == "open"
    log(client, anna, reason=reason("Product advice").pk, outcome="store_follow_up", token="c",
        about=str(first))
    assert StoreContact.objects.latest("id").ticket_id == first


def test_the_order_must_be_one_of_the_customers(counter, daan, anna, store):
    other, _ = order_upsert(OrderData(source="webshop", external_id="x1", number="555555",
                                      email="bram@example.nl", placed_at=datetime(2026, 1, 1, tzinfo=UTC)))
    response = log(counter, anna, reason=reason("Return").pk, order=other.pk)
    assert response.status_code == 400
    assert not StoreContact.objects.exists()


def test_photos_are_stored_on_the_message(counter, daan, anna):
    photo = SimpleUploadedFile("schade.jpeg", PNG, content_type="image/jpeg")
    data = contact_form(reason=reason("Complaint").pk) | {"photos": [photo]}
    response = counter.post(f"/store/customers/{anna.pk}/contacts/", data)
    assert response.status_code == 302
    attachment = Message.objects.get(pk=StoreContact.objects.get().message_id).attachments.get()
    # Typed by content, not by the name or header it came with.
    assert (attachment.filename, attachment.content_type) == ("schade.png", "image/png")


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_lost(counter, daan, anna):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    data = contact_form(reason=reason("Complaint").pk, text="Mijn tekst blijft staan") | {"photos": [fake]}
    response = counter.post(f"/store/customers/{anna.pk}/contacts/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "foto.jpg is not a photo" in html and "Mijn tekst blijft staan" in html
    assert not StoreContact.objects.exists()


def test_a_photo_over_the_limit_is_refused(counter, daan, anna, settings):
    settings.STORE_PHOTO_MAX_BYTES = 50
    photo = SimpleUploadedFile("groot.png", PNG + b"\0" * 100, content_type="image/png")
    data = contact_form(reason=reason("Complaint").pk) | {"photos": [photo]}
    response = counter.post(f"/store/customers/{anna.pk}/contacts/", data)
    assert response.status_code == 400 and "at most 50" in response.content.decode()
