"""/ws/agent/ pushes ticket and message events after commit, only to staff who may see them."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from helpdesk.asgi import application
from tests.helpdesk.inbound.helpers import contact

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_events_go_through_redis():
    if not settings.REDIS_URL:
        pytest.skip("the test command runs this against Redis; REDIS_URL is not set")
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] in (
        "channels_redis.core.RedisChannelLayer", "channels_redis.pubsub.RedisPubSubChannelLayer"
    )


@database_sync_to_async
def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def connect(user=None, origin: str = "http://localhost"):
    headers = [(b"origin", origin.encode()), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={await session_cookie(user)}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/agent/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def events_until_quiet(communicator, quiet: float = 0.5) -> list[dict]:
    received = []
    # receive_nothing() waits without cancelling the app, unlike a receive that times out.
    while not await communicator.receive_nothing(timeout=quiet):
        received.append(await communicator.receive_json_from())
    return received


async def test_an_agent_sees_a_new_ticket_and_its_message_live(sanne):
    communicator, connected = await connect(sanne)
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"

    result = await database_sync_to_async(contact)(
        "chat", email="anna@example.nl", text="Is mijn jas binnen?"
    )

    events = await events_until_quiet(communicator)
    assert [e["type"] for e in events] == ["ticket.created", "message.created"]
    created, message = events
    assert created["ticket"] == result.ticket_id
    assert created["object"]["owner"]["id"] == sanne.pk
    assert message["object"]["text"] == "Is mijn jas binnen?"
    assert json.loads(json.dumps(events)) == events
    await communicator.disconnect()


async def test_store_staff_only_receive_events_of_tickets_in_their_reach(daan, sanne, store, other_store):
    communicator, connected = await connect(daan)
    assert connected
    await communicator.receive_json_from()

    await database_sync_to_async(contact)("email", email="web@example.nl", text="web")
    await database_sync_to_async(contact)("instore", phone="+31622222222", store_id=other_store.pk)
    here = await database_sync_to_async(contact)("instore", phone="+31611111111", store_id=store.pk)

    events = await events_until_quiet(communicator)
    assert {e["ticket"] for e in events} == {here.ticket_id}
    await communicator.disconnect()


async def test_internal_notes_reach_staff_sockets_as_notes(sanne):
    from helpdesk.tickets.models import Ticket
    from helpdesk.tickets.services import ticket_add_note

    result = await database_sync_to_async(contact)("email", email="anna@example.nl")
    communicator, _ = await connect(sanne)
    await communicator.receive_json_from()
    ticket = await database_sync_to_async(Ticket.objects.get)(pk=result.ticket_id)
    await database_sync_to_async(ticket_add_note)(ticket=ticket, author=sanne, text="alleen intern")
    events = await events_until_quiet(communicator)
    assert [(e["type"], e["object"]["direction"]) for e in events] == [("message.created", "note")]
    await communicator.disconnect()


async def test_no_event_is_sent_for_a_rolled_back_transaction(sanne):
    from django.db import transaction

    communicator, _ = await connect(sanne)
    await communicator.receive_json_from()

    def failing_ingest():
        with transaction.atomic():
            contact("email", email="anna@example.nl")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(failing_ingest)()
    assert await events_until_quiet(communicator) == []
    await communicator.disconnect()


async def test_anonymous_sockets_are_refused(db):
    _, connected = await connect(None)
    assert not connected


async def test_sockets_from_another_origin_are_refused(sanne):
    _, connected = await connect(sanne, origin="https://evil.example")
    assert not connected
