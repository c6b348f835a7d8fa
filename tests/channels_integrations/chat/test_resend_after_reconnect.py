"""A message resent after a reconnect (same client id) is stored once and acknowledged again."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from helpdesk.tickets.models import Message
from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_a_resend_with_the_same_client_id_is_stored_once(widget):
    first_tab = Visitor(widget.key)
    await first_tab.connect()
    session = await first_tab.start()
    ack = await first_tab.say("Is de parka ook in maat L?", client_id="msg-1")
    await first_tab.close()  # the connection drops before the widget saw the ack, say

    again = Visitor(widget.key, ip=first_tab.ip)
    await again.connect()
    resumed = await again.start(token=session["token"])
    assert resumed["resumed"] is True
    second_ack = await again.say("Is de parka ook in maat L?", client_id="msg-1")
    assert second_ack == {"type": "ack", "client_id": "msg-1", "id": ack["id"]}
    assert await database_sync_to_async(Message.objects.count)() == 1
    await again.close()


async def test_a_new_client_id_is_a_new_message(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    first = await visitor.say("Hallo", client_id="a")
    second = await visitor.say("Hallo", client_id="b")
    assert first["id"] != second["id"]
    await visitor.close()
