"""A chat visitor's socket and a staff socket, driven through the real ASGI application."""

from __future__ import annotations

import time
import uuid

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from helpdesk.asgi import application

SHOP = "https://shop.example"


def fresh_ip() -> str:
    """Each visitor its own address, so per-IP budgets of other tests never interfere."""
    n = uuid.uuid4().int
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{(n & 253) + 1}"


class Visitor:
    """One browser tab with the widget open."""

    def __init__(self, key: str, *, origin: str | None = SHOP, ip: str | None = None):
        headers = [(b"host", b"localhost")]
        if origin is not None:
            headers.append((b"origin", origin.encode()))
        self.socket = WebsocketCommunicator(application, f"/ws/chat/{key}/", headers=headers)
        self.ip = ip or fresh_ip()
        # Set before the application first runs, as a server would put the peer address in.
        self.socket.scope["client"] = (self.ip, 50_000)
        self.hello: dict | None = None
        self.close_code = None

    async def connect(self) -> bool:
        connected, code = await self.socket.connect(timeout=5)
        self.close_code = code
        if connected:
            self.hello = await self.receive()
            assert self.hello["type"] == "hello"
        return connected

    async def send(self, frame) -> None:
        await self.socket.send_json_to(frame)

    async def receive(self, timeout: float = 5) -> dict:
        return await self.socket.receive_json_from(timeout=timeout)

    async def expect(self, kind: str, timeout: float = 5) -> dict:
        frame = await self.receive(timeout)
        assert frame["type"] == kind, frame
        return frame

    async def start(self, token: str = "", **prechat) -> dict:
        await self.send({"type": "start", "token": token, "prechat": prechat})
        return await self.expect("session")

    async def say(self, text: str, client_id: str | None = None) -> dict:
        await self.send({"type": "message", "text": text, "client_id": client_id or uuid.uuid4().hex})
        return await self.receive()

    async def quiet(self, seconds: float = 0.5) -> list[dict]:
        """Every frame until nothing arrives for `seconds` (without cancelling the app)."""
        frames = []
        while not await self.socket.receive_nothing(timeout=seconds):
            frames.append(await self.socket.receive_json_from())
        return frames

    async def close(self) -> None:
        await self.socket.disconnect()


@database_sync_to_async
def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def staff_socket(user) -> WebsocketCommunicator:
    """The agent's /ws/agent/ socket (which also marks the agent online), past its hello."""
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"),
               (b"cookie", f"{settings.SESSION_COOKIE_NAME}={await _session_cookie(user)}".encode())]
    socket = WebsocketCommunicator(application, "/ws/agent/", headers=headers)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    assert (await socket.receive_json_from(timeout=5))["type"] == "hello"
    return socket


async def events_until_quiet(socket: WebsocketCommunicator, quiet: float = 0.5) -> list[dict]:
    received = []
    while not await socket.receive_nothing(timeout=quiet):
        received.append(await socket.receive_json_from())
    return received


def wait_for_status(message_id: int, wanted: str, timeout: float = 5) -> str:
    """The message's delivery status once it is `wanted`, or whatever it is at the timeout."""
    from helpdesk.tickets.models import Message

    deadline = time.monotonic() + timeout
    while True:
        status = Message.objects.get(pk=message_id).delivery_status
        if status == wanted or time.monotonic() > deadline:
            return status
        time.sleep(0.05)
