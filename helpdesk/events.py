"""Event names and the one helper that sends them to agents' screens after commit."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

TICKET_CREATED = "ticket.created"
TICKET_UPDATED = "ticket.updated"
MESSAGE_CREATED = "message.created"
MESSAGE_STATUS = "message.status"
PRESENCE = "presence"
TYPING = "typing"

# The channel-layer message type; consumers handle it in `helpdesk_event`.
LAYER_TYPE = "helpdesk.event"


def publish(event_type: str, *, ticket_id: int, payload: dict[str, Any], groups: list[str]) -> None:
    """Queue an event for after the surrounding transaction commits (or now, outside one).

    The events of one transaction go out together: one channel-layer message per group
    carrying all of that group's events in order (an inbound contact publishes two
    events to the same groups; each group_send is several Redis round trips).
    """
    event = {"type": event_type, "id": uuid.uuid4().hex, "ticket": ticket_id, **payload}
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _send({group: [event] for group in groups})
        return
    batch = getattr(connection, "_helpdesk_event_batch", None)
    if batch is None or not batch.joinable(connection):
        batch = _Batch(tuple(connection.savepoint_ids))
        connection._helpdesk_event_batch = batch
        transaction.on_commit(batch.flush)
    for group in groups:
        batch.by_group.setdefault(group, []).append(event)


class _Batch:
    """The events published at one savepoint level, sent by one on_commit callback.

    Only the newest batch is joined, and only while its callback is still registered at
    the same savepoint: a rolled-back savepoint drops its batch with its callback, and
    events keep their order across batches.
    """

    def __init__(self, savepoints: tuple) -> None:
        self.savepoints = savepoints
        self.by_group: dict[str, list[dict[str, Any]]] = {}

    def joinable(self, connection) -> bool:
        return tuple(connection.savepoint_ids) == self.savepoints and any(
            getattr(callback, "__self__", None) is self for _, callback, _ in connection.run_on_commit
        )

    def flush(self) -> None:
        _send(self.by_group)


def layer_message(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What consumers get in `helpdesk_event`: one event, or several in order."""
    if len(events) == 1:
        return {"type": LAYER_TYPE, "event": events[0]}
    return {"type": LAYER_TYPE, "events": events}


def events_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    return message["events"] if "events" in message else [message["event"]]


def _send(by_group: dict[str, list[dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None or not by_group:
        return
    messages = [(group, layer_message(events)) for group, events in by_group.items()]
    if _is_networked(layer):
        _Publisher.get().submit(layer, messages)
        return
    try:
        # The in-memory layer lives on the server's own loop; async_to_sync finds it.
        async_to_sync(_send_all)(layer, messages)
    except Exception:  # the data is committed; a lost push is re-fetched on reconnect
        logger.exception("could not push events to %s", list(by_group))


def _is_networked(layer) -> bool:
    return layer.__class__.__module__.startswith("channels_redis")


async def _send_all(layer, messages: list[tuple[str, dict[str, Any]]]) -> None:
    # The groups at once: each group_send is several Redis round trips.
    await asyncio.gather(*(layer.group_send(group, message) for group, message in messages))


class _Publisher:
    """Pushes events to Redis in order, from a long-lived event loop, never blocking the
    code that committed.

    In a server process the work that commits runs in threads started by the server's
    own event loop (HTTP lanes, socket database threads): events are pushed from that
    loop, with the connection pool its consumers use, and no thread of our own. Elsewhere
    (a Celery worker, a management command) one loop on a thread of its own does it. A
    fresh loop per push (async_to_sync) would cost a thread hop and a new Redis
    connection every time.
    """

    _instances: dict[Any, _Publisher] = {}
    _lock = threading.Lock()

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.pid = os.getpid()
        self.queue: asyncio.Queue = asyncio.Queue()
        if loop is None:
            self.loop = asyncio.new_event_loop()
            threading.Thread(target=self._run, name="event-publisher", daemon=True).start()
        else:
            self.loop = loop
            self.loop.call_soon_threadsafe(self._start_on_loop)

    @classmethod
    def get(cls) -> _Publisher:
        loop = _server_loop()
        with cls._lock:
            publisher = cls._instances.get(loop)
            # A forked child (a Celery worker) inherits the object but not the thread.
            if publisher is None or publisher.pid != os.getpid() or publisher.loop.is_closed():
                # Forget publishers of loops that have ended (each test's loop, say).
                cls._instances = {key: p for key, p in cls._instances.items() if not p.loop.is_closed()}
                publisher = cls._instances[loop] = cls(loop)
            return publisher

    def submit(self, layer, messages: list[tuple[str, dict[str, Any]]]) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, (layer, messages))

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._drain())

    def _start_on_loop(self) -> None:
        self.task = self.loop.create_task(self._drain())  # kept: a task only weakly referenced may vanish

    async def _drain(self) -> None:
        """Push what is queued: one ticket's events in order, different tickets side by side.

        Under a burst (a hundred chat messages a second, two events each) pushing one event
        at a time let the queue, and so every agent's delay, grow with the burst.
        """
        while True:
            batch = [await self.queue.get()]
            while not self.queue.empty() and len(batch) < _BATCH:
                batch.append(self.queue.get_nowait())
            by_ticket: dict[Any, list] = {}
            for item in batch:
                by_ticket.setdefault(_ticket_of(item[1]), []).append(item)
            await asyncio.gather(*(_push_in_order(items) for items in by_ticket.values()))


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop that started this thread's synchronous work, if any (asgiref
    records it for sync_to_async calls)."""
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    return loop


# Events pushed side by side at most (their tickets' Redis round trips overlap).
_BATCH = 64


def _ticket_of(messages: list[tuple[str, dict[str, Any]]]) -> Any:
    return events_of(messages[0][1])[0].get("ticket") if messages else None


async def _push_in_order(items: list) -> None:
    for layer, messages in items:
        try:
            await _send_all(layer, messages)
        except Exception:
            logger.exception("could not push events to %s", [group for group, _ in messages])
