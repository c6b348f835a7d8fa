"""What every live socket consumer of ours shares."""

from __future__ import annotations

from channels.consumer import get_handler_name


class NoConnectionSweep:
    """Dispatch frames and events without Channels' per-message connection sweep.

    Channels' dispatch awaits `aclose_old_connections()` before EVERY frame and channel-layer
    event: a hop to the one thread-sensitive sync thread, queued behind whatever runs there.
    At a hundred chat messages a second, each fanned out to agents as two events, those hops
    were a good part of the delivery time. Our consumers never touch the database on the
    event loop: the chat socket's calls run on helpdesk.realtime.dbthreads (which checks its
    connections after each call) and the agent socket's through database_sync_to_async
    (which closes old connections before and after each call), so there is nothing to sweep.
    """

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
