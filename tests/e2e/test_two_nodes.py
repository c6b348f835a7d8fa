"""Two ASGI server processes sharing PostgreSQL and Redis: visitor on one, agent on the other."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
import websockets
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from channels_integrations.chat.models import ChatWidget
from helpdesk.realtime import presence
from tests.e2e.servers import AsgiServer

pytestmark = pytest.mark.django_db(transaction=True)

SHOP = "https://shop.example"


@pytest.fixture
def two_nodes(django_db_setup):
    # Replies are delivered in the web process after commit, as in the quick start.
    nodes = [AsgiServer(extra_env={"CELERY_TASK_ALWAYS_EAGER": "true"}) for _ in range(2)]
    yield nodes
    for node in nodes:
        node.stop()


async def _next(socket, kind: str, timeout: float = 10) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame.get("type") == kind:
                return frame


def test_messages_flow_both_ways_between_two_server_processes(two_nodes, sanne, service_team):
    visitor_node, agent_node = two_nodes
    widget = ChatWidget.objects.create(name="Regenjassenhuis", allowed_origins=[SHOP], team=service_team)
    presence.mark_online(sanne.pk)
    client = Client()
    client.force_login(sanne)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    token = Token.objects.create(user=sanne).key

    async def scenario() -> tuple[dict, dict]:
        agent_url = agent_node.url.replace("http", "ws") + "/ws/agent/"
        visitor_url = visitor_node.url.replace("http", "ws") + f"/ws/chat/{widget.key}/"
        async with websockets.connect(agent_url, origin=agent_node.url,
                                      additional_headers={"Cookie": cookie}) as agent, \
                websockets.connect(visitor_url, origin=SHOP) as visitor:
            await _next(agent, "hello")
            await _next(visitor, "hello")
            await visitor.send(json.dumps({"type": "start", "prechat": {}}))
            await _next(visitor, "session")
            await visitor.send(json.dumps({"type": "message", "text": "Is de parka waterdicht?",
                                           "client_id": uuid.uuid4().hex}))
            seen_by_agent = await _next(agent, "message.created")
            async with httpx.AsyncClient(base_url=agent_node.url, timeout=10) as api:
                reply = await api.post(f"/api/v1/tickets/{seen_by_agent['ticket']}/reply/",
                                       json={"text": "Ja, tot 10.000 mm."},
                                       headers={"Authorization": f"Token {token}"})
                assert reply.status_code == 201, reply.text
            seen_by_visitor = await _next(visitor, "message")
            return seen_by_agent, seen_by_visitor

    seen_by_agent, seen_by_visitor = asyncio.run(scenario())
    assert seen_by_agent["object"]["text"] == "Is de parka waterdicht?"
    assert seen_by_agent["object"]["channel"] == "chat"
    assert seen_by_visitor["text"] == "Ja, tot 10.000 mm."
