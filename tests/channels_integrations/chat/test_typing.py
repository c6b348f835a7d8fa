"""Typing: the visitor's goes to the staff viewing the ticket, the agent's to the visitor, no further."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import get_channel_layer

from helpdesk.realtime.groups import chat_visitor_group, ticket_viewers_group
from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


async def chatting(widget, text: str = "Hallo") -> tuple[Visitor, int]:
    from channels.db import database_sync_to_async

    from helpdesk.tickets.models import Message

    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    ack = await visitor.say(text)
    ticket_id = await database_sync_to_async(lambda: Message.objects.get(pk=ack["id"]).ticket_id)()
    return visitor, ticket_id


async def test_visitor_typing_reaches_the_staff_viewing_the_ticket_once_per_interval(widget):
    visitor, ticket_id = await chatting(widget)
    layer = get_channel_layer()
    staff = await layer.new_channel()
    await layer.group_add(ticket_viewers_group(ticket_id), staff)

    await visitor.send({"type": "typing"})
    await visitor.send({"type": "typing"})  # within the interval: not forwarded again
    received = await asyncio.wait_for(layer.receive(staff), 5)
    event = {"type": "typing", "ticket": ticket_id, "who": "visitor"}
    assert received == {"type": "helpdesk.event", "event": event}
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(staff), 0.5)
    assert await visitor.quiet(0.3) == []  # nothing echoed to the visitor
    await visitor.close()


async def test_agent_typing_reaches_only_that_tickets_visitor(widget):
    visitor, ticket_id = await chatting(widget)
    other, _ = await chatting(widget, "Andere vraag")

    await get_channel_layer().group_send(
        chat_visitor_group(ticket_id), {"type": "chat.agent_typing", "name": "Sanne de Vries"}
    )
    assert await visitor.receive() == {"type": "typing", "name": "Sanne de Vries"}
    assert await other.quiet(0.5) == []
    await get_channel_layer().group_send(
        chat_visitor_group(ticket_id), {"type": "chat.agent_joined", "name": "Sanne de Vries"}
    )
    assert await visitor.receive() == {"type": "agent_joined", "name": "Sanne de Vries"}
    await visitor.close()
    await other.close()


async def test_typing_before_there_is_a_ticket_goes_nowhere(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    await visitor.send({"type": "typing"})
    assert await visitor.quiet(0.3) == []
    await visitor.close()
