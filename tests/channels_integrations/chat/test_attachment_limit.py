"""Files from the widget are stored up to the widget's own size limit, and refused above it."""

from __future__ import annotations

import base64

import pytest
from channels.db import database_sync_to_async

from helpdesk.tickets.models import Attachment, Message
from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


def upload(content: bytes, client_id: str, filename: str = "bon.png") -> dict:
    return {"type": "attachment", "client_id": client_id, "filename": filename, "content_type": "image/png",
            "data": base64.b64encode(content).decode()}


async def test_a_file_within_the_limit_is_stored_on_the_ticket(widget, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    widget.max_attachment_bytes = 1000
    await database_sync_to_async(widget.save)()
    visitor = Visitor(widget.key)
    await visitor.connect()
    assert visitor.hello["max_attachment_bytes"] == 1000
    session = await visitor.start()
    await visitor.send(upload(b"\x89PNG" + b"x" * 996, "f1"))
    ack = await visitor.expect("ack")
    attachment = await database_sync_to_async(Attachment.objects.get)(message_id=ack["id"])
    assert (attachment.filename, attachment.size) == ("bon.png", 1000)

    back = Visitor(widget.key)
    await back.connect()
    resumed = await back.start(token=session["token"])
    assert resumed["history"][0]["attachments"] == [{"filename": "bon.png", "size": 1000}]
    await visitor.close()
    await back.close()


async def test_a_file_over_the_limit_is_refused_and_not_stored(widget):
    widget.max_attachment_bytes = 1000
    await database_sync_to_async(widget.save)()
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    await visitor.send(upload(b"x" * 1001, "f2"))
    assert await visitor.receive() == {"type": "error", "code": "too_large", "client_id": "f2"}
    await visitor.send(upload(b"x" * 50_000, "f3"))
    assert await visitor.receive() == {"type": "error", "code": "too_large", "client_id": "f3"}
    assert not await database_sync_to_async(Message.objects.exists)()
    await visitor.close()


async def test_data_that_is_not_base64_is_refused(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    await visitor.send({**upload(b"", "f4"), "data": "not base64!"})
    assert await visitor.receive() == {"type": "error", "code": "invalid", "client_id": "f4"}
    await visitor.close()
