"""The widget's delivered and read marks move the reply's status, and the agent sees it live."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from helpdesk.tickets.models import DeliveryStatus, Message, Ticket
from helpdesk.tickets.services import ticket_reply
from tests.channels_integrations.chat.helpers import (
    Visitor,
    events_until_quiet,
    staff_socket,
    wait_for_status,
)
from tests.helpdesk.inbound.helpers import contact

pytestmark = [pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def replies(message_id: int, author, *texts: str) -> list[int]:
    ticket = Ticket.objects.get(pk=Message.objects.get(pk=message_id).ticket_id)
    return [ticket_reply(ticket=ticket, author=author, text=text).pk for text in texts]


@database_sync_to_async
def statuses(*ids: int) -> list[str]:
    found = dict(Message.objects.filter(pk__in=ids).values_list("pk", "delivery_status"))
    return [found[i] for i in ids]


async def test_delivered_then_read_reach_the_agent_as_message_status(widget, sanne, celery_worker):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    ack = await visitor.say("Kan ik ruilen?")
    first, second = await replies(ack["id"], sanne, "Ja hoor.", "Binnen 30 dagen.")
    pushed = [await visitor.receive(timeout=10), await visitor.receive(timeout=10)]
    assert [p["id"] for p in pushed] == [first, second]
    # The worker marks them sent right after pushing them; let that settle before watching.
    await database_sync_to_async(wait_for_status)(second, DeliveryStatus.SENT)

    agent = await staff_socket(sanne)
    await visitor.send({"type": "delivered", "id": first})
    events = await events_until_quiet(agent)
    assert [(e["type"], e["object"]["id"], e["object"]["delivery_status"]) for e in events] == [
        ("message.status", first, "delivered")
    ]

    await visitor.send({"type": "read", "up_to": second})
    events = await events_until_quiet(agent)
    assert sorted((e["object"]["id"], e["object"]["delivery_status"]) for e in events) == [
        (first, "read"), (second, "read")
    ]
    assert await statuses(first, second) == [DeliveryStatus.READ, DeliveryStatus.READ]

    await visitor.send({"type": "delivered", "id": first})  # late: never moves a message back
    assert await events_until_quiet(agent) == []
    assert await statuses(first) == [DeliveryStatus.READ]
    await visitor.close()
    await agent.disconnect()


async def test_a_visitor_cannot_mark_replies_of_another_ticket(widget, sanne):
    other = await database_sync_to_async(lambda: contact("email", email="bob@example.nl"))()
    foreign = await replies(other.message_id, sanne, "Voor Bob")
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    await visitor.say("Hallo")
    await visitor.send({"type": "delivered", "id": foreign[0]})
    await visitor.send({"type": "read", "up_to": foreign[0] + 100})
    await visitor.quiet(0.3)
    assert await statuses(foreign[0]) == [DeliveryStatus.QUEUED]
    await visitor.close()
