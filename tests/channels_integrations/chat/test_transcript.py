"""At the end of a chat the visitor can have the transcript mailed, only to their own address."""

from __future__ import annotations

import time

import pytest
from channels.db import database_sync_to_async
from django.core import mail

from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.services import ticket_add_note, ticket_reply
from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


def mails(count: int, timeout: float = 10) -> list:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(mail.outbox)


@database_sync_to_async
def agent_answers(message_id: int, sanne) -> None:
    ticket = Ticket.objects.get(pk=Message.objects.get(pk=message_id).ticket_id)
    ticket_reply(ticket=ticket, author=sanne, text="U kunt hem gratis ruilen.")
    ticket_add_note(ticket=ticket, author=sanne, text="Intern: klant is VIP")


async def test_the_transcript_goes_to_the_claimed_address_without_notes(widget, sanne, outbox, celery_worker):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start(email="anna@example.nl")
    ack = await visitor.say("Mijn jas is te klein.")
    await agent_answers(ack["id"], sanne)
    await visitor.receive(timeout=10)  # the reply
    mails(1)  # the confirmation link for the address
    outbox.clear()

    await visitor.send({"type": "end"})
    assert await visitor.receive() == {"type": "ended", "email": "anna@example.nl"}
    await visitor.send({"type": "transcript", "email": "mallory@example.nl"})
    assert (await visitor.receive())["code"] == "email_mismatch"
    await visitor.send({"type": "transcript", "email": ""})
    assert await visitor.receive() == {"type": "transcript_sent", "email": "anna@example.nl"}

    [sent] = await database_sync_to_async(mails)(1)
    assert sent.to == ["anna@example.nl"] and "Regenjassenhuis" in sent.subject
    assert "You:\n  Mijn jas is te klein." in sent.body
    assert "Sanne de Vries:\n  U kunt hem gratis ruilen." in sent.body
    assert "VIP" not in sent.body

    await visitor.send({"type": "transcript", "email": ""})
    assert (await visitor.receive())["code"] == "already_sent"
    await visitor.close()


async def test_a_visitor_without_an_address_may_type_one(widget, outbox, celery_worker):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    await visitor.say("Vraagje")
    await visitor.send({"type": "end"})
    assert await visitor.receive() == {"type": "ended", "email": ""}
    await visitor.send({"type": "transcript", "email": "Piet@Example.nl"})
    assert await visitor.receive() == {"type": "transcript_sent", "email": "piet@example.nl"}
    [sent] = await database_sync_to_async(mails)(1)
    assert sent.to == ["piet@example.nl"] and "Vraagje" in sent.body
    await visitor.close()


async def test_after_the_end_a_new_message_needs_a_new_conversation(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start()
    await visitor.say("Eerste")
    await visitor.send({"type": "end"})
    await visitor.expect("ended")
    assert (await visitor.say("Nog iets"))["code"] == "ended"
    fresh = await visitor.start(token=session["token"])
    assert fresh["resumed"] is False and fresh["history"] == []
    assert (await visitor.say("Nieuwe vraag"))["type"] == "ack"
    await visitor.close()
