"""Unknown and switched-off widgets get no socket."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.channels_integrations.chat.helpers import Visitor

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_an_unknown_key_is_refused(widget):
    visitor = Visitor("no-such-widget")
    assert not await visitor.connect()
    assert visitor.close_code == 4403


async def test_an_inactive_widget_is_refused(widget):
    widget.active = False
    await database_sync_to_async(widget.save)()
    visitor = Visitor(widget.key)
    assert not await visitor.connect()
    assert visitor.close_code == 4403
