"""A visitor's chat message becomes a ticket through ingest() and reaches the agent live."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from channels_integrations.chat.models import ChatConversation
from helpdesk.customers.models import Identity
from helpdesk.tickets.models import Message
from tests.channels_integrations.chat.helpers import Visitor, events_until_quiet, staff_socket

pytestmark = [pytest.mark.django_db(transaction=True)]


def stored(message_id: int):
    message = Message.objects.select_related("ticket").get(pk=message_id)
    conversation = ChatConversation.objects.get()
    has_identity = Identity.objects.filter(kind="web_visitor", value=str(conversation.visitor),
                                           customer_id=message.customer_id).exists()
    return message, conversation, has_identity


async def test_a_chat_message_opens_a_ticket_and_reaches_the_agent(widget, sanne):
    agent = await staff_socket(sanne)
    visitor = Visitor(widget.key)
    assert await visitor.connect()
    assert visitor.hello["agents_available"] is True  # Sanne's open socket marks her online

    session = await visitor.start(name="Anna")
    assert session["history"] == [] and session["greeting"] == "Hoi! Waarmee kunnen we helpen?"
    ack = await visitor.say("Waar blijft mijn regenjas?", client_id="c1")
    assert ack["type"] == "ack" and ack["client_id"] == "c1"

    message, conversation, has_identity = await database_sync_to_async(stored)(ack["id"])
    assert (message.channel, message.direction, message.account) == ("chat", "in", widget.key)
    assert message.external_id == f"{conversation.visitor}:c1"
    assert message.conversation == str(conversation.visitor)
    assert message.ticket.channel == "chat" and message.ticket.owner_id == sanne.pk
    assert (conversation.ticket_id, conversation.customer_id) == (message.ticket_id, message.customer_id)
    assert has_identity

    events = await events_until_quiet(agent)
    assert [e["type"] for e in events] == ["ticket.created", "message.created"]
    assert events[1]["object"]["text"] == "Waar blijft mijn regenjas?"
    assert json.loads(json.dumps(events)) == events
    await visitor.close()
    await agent.disconnect()


async def test_follow_up_messages_stay_on_the_same_ticket(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    first = await visitor.say("Hallo")
    second = await visitor.say("Ik heb bestelling 100234")
    ids = [first["id"], second["id"]]
    tickets = await database_sync_to_async(
        lambda: set(Message.objects.filter(pk__in=ids).values_list("ticket_id", flat=True))
    )()
    assert len(tickets) == 1
    await visitor.close()


def test_a_follow_up_message_costs_a_fixed_number_of_queries(widget, django_assert_max_num_queries):
    """The hot path: lock the conversation, ingest (dedupe, identity, thread, write), save it."""
    from channels_integrations.chat import services
    from channels_integrations.chat.protocol import Prechat

    session = services.conversation_start(widget=widget, token="", prechat=Prechat(), ip="10.0.0.1")
    services.conversation_say(conversation_id=session.conversation.pk, client_id="a", text="Hallo")
    with django_assert_max_num_queries(13):
        services.conversation_say(conversation_id=session.conversation.pk, client_id=uuid.uuid4().hex,
                                  text="Nog een vraag")

