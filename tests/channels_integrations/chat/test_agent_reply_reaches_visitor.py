"""An agent's chat reply is delivered to the visitor's socket by the Celery worker; notes never are."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from channels_integrations.chat.adapter import ChatAdapter, ChatDeliveryError
from helpdesk.tickets.models import DeliveryStatus, Direction, Message, Ticket
from helpdesk.tickets.services import ticket_add_note, ticket_reply
from helpdesk.tickets.tasks import deliver_message
from tests.channels_integrations.chat.helpers import Visitor, wait_for_status

pytestmark = [pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def reply(message_id: int, author, text: str) -> Message:
    ticket = Ticket.objects.get(pk=Message.objects.get(pk=message_id).ticket_id)
    return ticket_reply(ticket=ticket, author=author, text=text)


@database_sync_to_async
def note(message_id: int, author, text: str) -> Message:
    ticket = Ticket.objects.get(pk=Message.objects.get(pk=message_id).ticket_id)
    return ticket_add_note(ticket=ticket, author=author, text=text)


async def chatting(widget) -> tuple[Visitor, dict]:
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    return visitor, await visitor.say("Is de storm parka waterdicht?")


async def test_the_reply_reaches_the_visitor_with_only_visitor_safe_fields(widget, sanne, celery_worker):
    visitor, ack = await chatting(widget)
    sent = await reply(ack["id"], sanne, "Ja, tot 10.000 mm waterkolom.")

    pushed = await visitor.receive(timeout=10)
    assert pushed == {
        "type": "message", "id": sent.pk, "direction": "out", "text": "Ja, tot 10.000 mm waterkolom.",
        "author": {"name": "Sanne de Vries", "initials": "SD", "avatar": None},
        "sent_at": sent.sent_at.isoformat(), "attachments": [],
    }
    assert await database_sync_to_async(wait_for_status)(sent.pk, DeliveryStatus.SENT) == DeliveryStatus.SENT
    await visitor.close()


async def test_an_internal_note_never_reaches_the_visitor(widget, sanne, celery_worker):
    visitor, ack = await chatting(widget)
    await note(ack["id"], sanne, "Intern: vorige keer retour gestuurd")
    assert await visitor.quiet(1.0) == []
    await visitor.close()


async def test_the_adapter_refuses_a_note_even_if_it_was_queued_by_mistake(widget, sanne):
    visitor, ack = await chatting(widget)
    queued_note = await note(ack["id"], sanne, "Intern: niet voor de klant")
    await database_sync_to_async(
        Message.objects.filter(pk=queued_note.pk).update
    )(delivery_status=DeliveryStatus.QUEUED)

    with pytest.raises(ChatDeliveryError) as refused:
        await database_sync_to_async(ChatAdapter().send)(queued_note)
    assert refused.value.permanent is True
    # Through the real task: the message fails for good instead of being retried.
    outcome = await database_sync_to_async(deliver_message.apply)(args=[queued_note.pk])
    assert outcome.get() == "failed"
    stored = await database_sync_to_async(Message.objects.get)(pk=queued_note.pk)
    assert (stored.direction, stored.delivery_status) == (Direction.NOTE, DeliveryStatus.FAILED)
    assert await visitor.quiet(0.5) == []
    await visitor.close()


async def test_a_visitor_of_another_ticket_hears_nothing(widget, sanne, celery_worker):
    visitor, ack = await chatting(widget)
    other, _ = await chatting(widget)
    await reply(ack["id"], sanne, "Alleen voor de eerste bezoeker")
    assert (await visitor.receive(timeout=10))["text"] == "Alleen voor de eerste bezoeker"
    assert await other.quiet(1.0) == []
    await visitor.close()
    await other.close()
