"""Collision detection on /ws/agent/: who views a ticket and who types a reply, shared through
the cache; reach is checked before anyone joins a ticket's viewers."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache

from helpdesk.realtime import presence
from helpdesk.realtime.groups import chat_visitor_group, ticket_viewers_group
from tests.helpdesk.inbound.helpers import contact
from tests.helpdesk.realtime.test_agent_events import connect, events_until_quiet

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ticket_id(db):
    ticket_id = contact("email", email="anna@example.nl", text="Waar is mijn jas?").ticket_id
    cache.delete(f"presence:ticket:{ticket_id}")  # nothing left over from an earlier run
    return ticket_id


async def opened(user, ticket_id):
    """A signed-in socket that has the ticket open; its own presence event is consumed."""
    communicator, connected = await connect(user)
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    await communicator.send_json_to({"type": "view", "ticket": ticket_id})
    return communicator


async def presences(communicator) -> list[dict]:
    return [e for e in await events_until_quiet(communicator, quiet=0.4) if e["type"] == "presence"]


def person(user) -> dict:
    return {"id": user.pk, "name": user.display_name}


async def test_two_agents_see_each_other_viewing_and_typing(sanne, pieter, ticket_id):
    a = await opened(sanne, ticket_id)
    assert (await presences(a))[-1]["viewers"] == [person(sanne)]

    b = await opened(pieter, ticket_id)
    expected = {
        "type": "presence",
        "ticket": ticket_id,
        "viewers": [person(pieter), person(sanne)],
        "typing": [],
    }
    assert (await presences(a))[-1] == expected
    assert (await presences(b))[-1] == expected

    await a.send_json_to({"type": "typing", "ticket": ticket_id, "active": True, "channel": "email"})
    assert (await presences(b))[-1]["typing"] == [person(sanne)]
    # More keystrokes straight after say nothing new: no flood of presence events.
    await a.send_json_to({"type": "typing", "ticket": ticket_id, "active": True, "channel": "email"})
    assert [p for p in await presences(b) if p["typing"]] == []

    await a.send_json_to({"type": "typing", "ticket": ticket_id, "active": False})
    assert (await presences(b))[-1]["typing"] == []

    await b.disconnect()
    assert (await presences(a))[-1]["viewers"] == [person(sanne)]
    await a.send_json_to({"type": "leave", "ticket": ticket_id})
    await a.disconnect()
    assert cache.get(f"presence:ticket:{ticket_id}") is None


async def test_store_staff_cannot_join_a_ticket_out_of_reach(sanne, daan, ticket_id):
    a = await opened(sanne, ticket_id)
    await presences(a)
    communicator, connected = await connect(daan)
    assert connected
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "view", "ticket": ticket_id})
    assert await communicator.receive_json_from() == {"type": "view.refused", "ticket": ticket_id}
    await communicator.send_json_to({"type": "typing", "ticket": ticket_id, "active": True})
    assert await presences(a) == []  # Sanne never hears of Daan
    await communicator.send_json_to({"type": "view", "ticket": 987654})  # no such ticket: the same answer
    assert await communicator.receive_json_from() == {"type": "view.refused", "ticket": 987654}
    await communicator.disconnect()
    await a.disconnect()


async def test_store_staff_join_a_ticket_of_their_store(sanne, daan, store):
    ticket_id = await database_sync_to_async(contact)("instore", phone="+31611111111", store_id=store.pk)
    ticket_id = ticket_id.ticket_id
    await database_sync_to_async(cache.delete)(f"presence:ticket:{ticket_id}")
    d = await opened(daan, ticket_id)
    assert (await presences(d))[-1]["viewers"] == [person(daan)]
    await d.disconnect()


async def test_typing_a_reply_reaches_the_chat_visitor_only_for_chat(sanne, ticket_id):
    layer = get_channel_layer()
    visitor = await layer.new_channel()
    await layer.group_add(chat_visitor_group(ticket_id), visitor)
    a = await opened(sanne, ticket_id)

    await a.send_json_to({"type": "typing", "ticket": ticket_id, "active": True, "channel": "email"})
    await presences(a)
    await a.send_json_to({"type": "typing", "ticket": ticket_id, "active": False})
    await presences(a)
    await a.send_json_to({"type": "typing", "ticket": ticket_id, "active": True, "channel": "chat"})
    await presences(a)
    assert await layer.receive(visitor) == {"type": "chat.agent_typing", "name": "Sanne de Vries"}
    await layer.group_discard(chat_visitor_group(ticket_id), visitor)
    await a.disconnect()


async def test_the_visitor_typing_in_the_chat_shows_on_the_ticket(sanne, ticket_id):
    a = await opened(sanne, ticket_id)
    await presences(a)
    await get_channel_layer().group_send(
        ticket_viewers_group(ticket_id), {"type": "typing", "who": "visitor", "ticket": ticket_id}
    )
    assert await a.receive_json_from() == {"type": "typing", "ticket": ticket_id, "who": "visitor"}
    await a.disconnect()


async def test_sockets_mark_staff_online_and_offline(sanne, db):
    communicator, _ = await connect(sanne)
    await communicator.receive_json_from()
    assert sanne.pk in await database_sync_to_async(presence.online_user_ids)()
    await communicator.send_json_to({"type": "heartbeat"})
    await communicator.disconnect()
    assert sanne.pk not in await database_sync_to_async(presence.online_user_ids)()


async def test_bad_frames_are_ignored(sanne, ticket_id):
    a = await opened(sanne, ticket_id)
    await presences(a)
    for frame in (
        [1, 2],
        {"type": "view", "ticket": "1"},
        {"type": "view", "ticket": True},
        {"type": "nope"},
    ):
        await a.send_json_to(frame)
    assert await events_until_quiet(a) == []
    await a.send_json_to({"type": "ping"})
    assert await a.receive_json_from() == {"type": "pong"}
    await a.disconnect()
