"""A burst of events reaches an agent's socket whole: none is dropped by the channel layer."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from helpdesk import events
from helpdesk.realtime.groups import ALL_TICKETS
from tests.helpdesk.realtime.test_agent_events import connect

pytestmark = [pytest.mark.django_db(transaction=True)]

BURST = 400  # well above channels-redis' default capacity of 100


def publish_blocking(events_to_publish: list[tuple[int, int]], settle: float = 0.0) -> None:
    """Publish (ticket, number) events in one transaction from a thread, holding up the
    caller's event loop meanwhile (and `settle` seconds more), so no socket reads in between."""

    def publish():
        try:
            with transaction.atomic():
                for ticket_id, number in events_to_publish:
                    events.publish(events.MESSAGE_STATUS, ticket_id=ticket_id, payload={"number": number},
                                   groups=[ALL_TICKETS])
        finally:
            connection.close()

    thread = threading.Thread(target=publish)
    thread.start()
    thread.join()
    time.sleep(settle)  # lets the publisher push while nothing reads (not a timing assertion)


async def test_an_agent_receives_every_event_of_a_burst(sanne):
    if not settings.REDIS_URL:
        pytest.skip("the in-memory layer has its own capacity; this is about Redis")
    communicator, connected = await connect(sanne)
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"

    # Everything waits in the channel layer at once, as when a server process is busy.
    publish_blocking([(number + 1, number) for number in range(BURST)], settle=1.0)

    received = []
    while len(received) < BURST:
        event = await communicator.receive_json_from(timeout=10)
        if event["type"] == events.MESSAGE_STATUS:
            received.append(event["number"])
    assert sorted(received) == list(range(BURST))
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_one_tickets_events_arrive_in_the_order_they_were_published(sanne):
    communicator, connected = await connect(sanne)
    assert connected
    await communicator.receive_json_from()

    publish_blocking([(ticket_id, number) for number in range(50) for ticket_id in (7, 8)])

    by_ticket: dict[int, list[int]] = {7: [], 8: []}
    for _ in range(100):
        event = await communicator.receive_json_from(timeout=10)
        by_ticket[event["ticket"]].append(event["number"])
    assert by_ticket == {7: list(range(50)), 8: list(range(50))}
    await communicator.disconnect()
