"""Whatever a browser sends, the socket answers with an error code and stays usable."""

from __future__ import annotations

import logging

import pytest

from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("frame, code", [
    (["not", "an", "object"], "invalid"),
    ({"type": "shout", "text": "HALLO"}, "unknown_type"),
    ({"no": "type"}, "unknown_type"),
    ({"type": "message", "text": "hoi", "client_id": "has spaces"}, "invalid"),
    ({"type": "message", "text": "hoi"}, "invalid"),
    ({"type": "read", "up_to": "12"}, "invalid"),
    ({"type": "delivered", "id": True}, "invalid"),
])
async def test_a_frame_that_does_not_parse_is_answered_and_logged(widget, frame, code, caplog):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    with caplog.at_level(logging.INFO, logger="channels_integrations.chat.consumers"):
        await visitor.send(frame)
        assert (await visitor.receive())["code"] == code
    assert f"chat frame ignored: {code}" in caplog.text
    assert (await visitor.say("Werkt het nog?"))["type"] == "ack"
    await visitor.close()


async def test_nothing_but_start_before_the_conversation_exists(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    assert (await visitor.say("te vroeg"))["code"] == "not_started"
    await visitor.send({"type": "ping"})
    assert await visitor.receive() == {"type": "pong"}
    await visitor.close()


async def test_an_empty_message_and_a_bad_email_are_refused(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.send({"type": "start", "prechat": {"email": "geen-adres"}})
    assert (await visitor.receive())["code"] == "invalid_email"
    await visitor.start()
    assert await visitor.say("   ", client_id="e1") == {"type": "error", "code": "empty", "client_id": "e1"}
    await visitor.close()
