"""Django's ASGI handler with the middleware chain run synchronously on a fixed set of threads.

Django's own handler, with sync middleware and sync views, hops between the event loop
and a thread for every middleware hook and again for the view, and starts a new thread
(with a new database connection) for each request. Here a request takes one of
HTTP_THREADS long-lived "lanes" (a one-thread executor): everything synchronous it does
— the started/finished signals, the whole middleware chain and view, streaming a sync
body, closing — runs on that lane's thread, as under a WSGI server. The lane's thread
keeps its database connection between requests (CONN_MAX_AGE, or the pool). The event
loop stays free for WebSockets, and code in a view that calls async_to_sync still finds
the server's loop (asgiref's thread-sensitive context).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler


class LaneASGIHandler(ASGIHandler):
    def __init__(self, lanes: int | None = None) -> None:
        super().__init__()
        self._lane_count = lanes or settings.HTTP_THREADS
        self._lanes: asyncio.Queue[ThreadPoolExecutor] | None = None

    def load_middleware(self, is_async: bool = False) -> None:
        # The chain is called from a lane's thread, so build it in sync mode: no
        # per-hook thread hops.
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        lanes = self._lane_queue()
        lane = await lanes.get()
        try:
            async with ThreadSensitiveContext(executor=lane):
                await self.handle(scope, receive, send)
        finally:
            lanes.put_nowait(lane)

    async def get_response_async(self, request):
        """The sync chain in one call on this request's lane."""
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    def _lane_queue(self) -> asyncio.Queue[ThreadPoolExecutor]:
        # Created on first use, inside the server's event loop (each worker process has its own).
        if self._lanes is None:
            self._lanes = asyncio.Queue()
            for number in range(self._lane_count):
                self._lanes.put_nowait(
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"http-lane-{number}")
                )
        return self._lanes


def get_lane_asgi_application() -> LaneASGIHandler:
    import django

    django.setup(set_prefix=False)
    return LaneASGIHandler()
