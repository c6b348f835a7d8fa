"""With no agent online the widget asks for a message and an email; the answer goes out by email."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from agents.models import Team
from channels_integrations.chat.models import ChatConversation
from channels_integrations.chat.selectors import conversation_for_ticket
from helpdesk.customers.models import Identity
from helpdesk.realtime import presence
from helpdesk.tickets.models import Message
from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_nobody_online_means_leave_a_message(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    assert visitor.hello["agents_available"] is False
    session = await visitor.start()
    assert session["agents_available"] is False

    await visitor.send({"type": "leave_message", "client_id": "off1", "text": "Bel me terug aub"})
    assert await visitor.receive() == {"type": "error", "code": "email_required", "client_id": "off1"}
    await visitor.send({"type": "leave_message", "client_id": "off1", "text": "Bel me terug aub",
                        "email": "Kees@Example.nl", "name": "Kees"})
    ack = await visitor.expect("ack")

    message, identities, conversation = await database_sync_to_async(stored)(ack["id"])
    assert (message.channel, message.text, message.sender) == ("chat", "Bel me terug aub", "kees@example.nl")
    assert ("email", "kees@example.nl") in identities
    assert conversation.left_message and conversation.claimed_email == "kees@example.nl"
    shown = await database_sync_to_async(conversation_for_ticket)(message.ticket_id)
    assert shown["reply_channel_hint"] == "email" and shown["left_message"] is True

    back = Visitor(widget.key)
    await back.connect()
    resumed = await back.start(token=session["token"])
    claims = resumed["conversation"]
    assert claims["left_message"] is True and claims["email"] == "kees@example.nl"
    await visitor.close()
    await back.close()


def stored(message_id: int):
    message = Message.objects.get(pk=message_id)
    identities = set(Identity.objects.filter(customer_id=message.customer_id).values_list("kind", "value"))
    return message, identities, ChatConversation.objects.get()


async def test_only_agents_of_the_widgets_team_count(widget, sanne, pieter):
    other_team = await database_sync_to_async(Team.objects.create)(name="Webwinkel")
    await database_sync_to_async(pieter.teams.set)([other_team])
    await database_sync_to_async(presence.mark_online)(pieter.pk)
    try:
        visitor = Visitor(widget.key)
        await visitor.connect()
        assert visitor.hello["agents_available"] is False  # Pieter is online, but not for this shop
        await visitor.close()
        await database_sync_to_async(presence.mark_online)(sanne.pk)
        visitor = Visitor(widget.key)
        await visitor.connect()
        assert visitor.hello["agents_available"] is True
        await visitor.close()
    finally:
        await database_sync_to_async(presence.mark_offline)(pieter.pk)
        await database_sync_to_async(presence.mark_offline)(sanne.pk)


async def test_a_widget_without_a_team_counts_any_online_agent(widget, pieter, daan):
    widget.team = None
    await database_sync_to_async(widget.save)()
    await database_sync_to_async(presence.mark_online)(daan.pk)  # store staff do not answer chats
    visitor = Visitor(widget.key)
    await visitor.connect()
    assert visitor.hello["agents_available"] is False
    await visitor.close()
    await database_sync_to_async(presence.mark_online)(pieter.pk)
    try:
        visitor = Visitor(widget.key)
        await visitor.connect()
        assert visitor.hello["agents_available"] is True
        await visitor.close()
    finally:
        await database_sync_to_async(presence.mark_offline)(pieter.pk)
        await database_sync_to_async(presence.mark_offline)(daan.pk)
