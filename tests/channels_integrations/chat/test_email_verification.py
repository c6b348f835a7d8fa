"""A typed email links the chat to the known customer but stays a claim until it is proven:
by the link mailed to it, or by an order number with the order's postcode."""

from __future__ import annotations

import re
import time

import pytest
from channels.db import database_sync_to_async
from django.core import mail
from django.test import Client

from channels_integrations.chat.models import ChatConversation
from channels_integrations.chat.selectors import conversation_for_ticket
from helpdesk.customers.models import Identity
from helpdesk.orders.models import Order
from helpdesk.tickets.models import Message
from tests.channels_integrations.chat.helpers import Visitor
from tests.helpdesk.inbound.helpers import contact

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anna(transactional_db):
    """Anna wrote in by email before, and ordered a raincoat delivered to 1234 AB."""
    return contact("email", email="anna@example.nl", name="Anna de Boer", text="Vraag over mijn bestelling")


@pytest.fixture
def annas_order(anna, admin_api):
    answer = admin_api.post("/api/v1/orders/", {
        "source": "webshop", "external_id": "w-1", "number": "100234", "email": "anna@example.nl",
        "postcode": "1234 AB", "placed_at": "2026-11-01T10:00:00Z",
    }, format="json")
    assert answer.status_code == 201, answer.content
    assert Order.objects.get(number="100234").postcode == "1234 AB"
    return answer.json()


def mailed_link(timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mail.outbox) == 1, "one confirmation mail"
    assert mail.outbox[0].to == ["anna@example.nl"]
    return re.search(r"https?://\S+/chat/verify/\S+/", mail.outbox[0].body).group(0)


def chat_state(message_id: int) -> tuple[dict, bool, int]:
    message = Message.objects.get(pk=message_id)
    identity = Identity.objects.get(kind="email", value="anna@example.nl")
    return conversation_for_ticket(message.ticket_id), identity.verified, message.customer_id


async def test_the_claim_links_to_anna_but_unverified_until_the_link_is_opened(anna, widget, celery_worker):
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start(email=" Anna@Example.NL ")
    assert session["conversation"] == {"name": "", "email": "anna@example.nl", "email_verified": False,
                                       "left_message": False, "verification_sent": True}
    ack = await visitor.say("Waar blijft mijn jas?")
    shown, identity_verified, customer_id = await database_sync_to_async(chat_state)(ack["id"])
    assert customer_id == anna.customer_id
    assert (shown["email"], shown["email_verified"], shown["verified_via"]) == ("anna@example.nl", False, "")
    assert identity_verified is False

    link = await database_sync_to_async(mailed_link)()
    page = await database_sync_to_async(Client().get)(link.split("localhost", 1)[1])
    assert page.status_code == 200 and b"confirmed" in page.content
    shown, identity_verified, _ = await database_sync_to_async(chat_state)(ack["id"])
    assert (shown["email_verified"], shown["verified_via"]) == (True, "link")
    assert identity_verified is True
    await visitor.close()


async def test_order_number_and_postcode_prove_the_claim(annas_order, widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start(email="anna@example.nl", order_number="100234", postcode="1234ab")
    assert session["notices"] == ["verified"] and session["conversation"]["email_verified"] is True
    ack = await visitor.say("Klopt het adres?")
    shown, identity_verified, _ = await database_sync_to_async(chat_state)(ack["id"])
    assert (shown["email_verified"], shown["verified_via"], shown["order_number"]) == \
        (True, "order_postcode", "100234")
    assert identity_verified is False  # knowing an order is not owning the mailbox
    await visitor.close()


async def test_the_order_can_also_be_given_later_in_the_chat(annas_order, widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start(email="anna@example.nl")
    await visitor.send({"type": "verify", "order_number": "100234", "postcode": "1234 ab"})
    assert await visitor.receive() == {"type": "verified"}
    conversation = await database_sync_to_async(ChatConversation.objects.get)()
    assert (conversation.email_verified, conversation.verified_via) == (True, "order_postcode")
    await visitor.close()


async def test_a_wrong_postcode_proves_nothing_and_guessing_stops(annas_order, widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start(email="anna@example.nl", order_number="100234", postcode="9999 ZZ")
    assert session["notices"] == ["not_verified"] and session["conversation"]["email_verified"] is False
    for guess in ("1111 AA", "2222 BB", "3333 CC", "4444 DD"):
        await visitor.send({"type": "verify", "order_number": "100234", "postcode": guess})
        assert await visitor.receive() == {"type": "error", "code": "not_verified"}
    await visitor.send({"type": "verify", "order_number": "100234", "postcode": "1234 AB"})
    assert await visitor.receive() == {"type": "error", "code": "not_verified"}  # too many tries
    conversation = await database_sync_to_async(ChatConversation.objects.get)()
    assert (conversation.email_verified, conversation.failed_verifications) == (False, 5)
    await visitor.close()


async def test_another_persons_order_does_not_prove_annas_address(annas_order, widget, admin_api):
    await database_sync_to_async(admin_api.post)("/api/v1/orders/", {
        "source": "webshop", "external_id": "w-2", "number": "555555", "email": "bob@example.nl",
        "postcode": "1000 AA", "placed_at": "2026-11-02T10:00:00Z"}, format="json")
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start(email="anna@example.nl", order_number="555555", postcode="1000 AA")
    assert session["conversation"]["email_verified"] is False
    await visitor.close()


def test_a_tampered_or_foreign_link_is_refused(anna, widget):
    from channels_integrations.chat import tokens

    conversation = ChatConversation.objects.create(widget=widget, claimed_email="anna@example.nl")
    other_email = tokens.email_link_token(conversation_id=conversation.pk, email="mallory@example.nl")
    for token in ("garbage", other_email):
        assert Client().get(f"/chat/verify/{token}/").status_code == 400
    conversation.refresh_from_db()
    assert conversation.email_verified is False
