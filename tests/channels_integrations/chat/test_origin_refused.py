"""A visitor socket opens only from a page whose origin the widget allows."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from channels_integrations.chat.models import ChatConversation
from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_a_page_on_an_allowed_origin_may_chat(widget):
    visitor = Visitor(widget.key, origin="https://shop.example")
    assert await visitor.connect()
    assert visitor.hello["name"] == "Regenjassenhuis"
    await visitor.close()


@pytest.mark.parametrize("origin", ["https://evil.example", "http://shop.example", "https://shop.example.evil",
                                    "null", None])
async def test_another_origin_is_refused_before_the_socket_opens(widget, origin):
    visitor = Visitor(widget.key, origin=origin)
    assert not await visitor.connect()
    assert visitor.close_code == 4403
    assert not await database_sync_to_async(ChatConversation.objects.exists)()


async def test_origins_compare_like_browsers_send_them(widget):
    widget.allowed_origins = ["https://Shop.Example:8443/"]
    await database_sync_to_async(widget.save)()
    visitor = Visitor(widget.key, origin="https://shop.example:8443")
    assert await visitor.connect()
    await visitor.close()
