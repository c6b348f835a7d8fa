"""Event names and the one helper that sends them to agents' screens after commit."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

TICKET_CREATED = "ticket.created"
TICKET_UPDATED = "ticket.updated"
MESSAGE_CREATED = "message.created"
MESSAGE_STATUS = "message.status"
PRESENCE = "presence"

# The channel-layer message type; consumers handle it in `helpdesk_event`.
LAYER_TYPE = "helpdesk.event"


def publish(event_type: str, *, ticket_id: int, payload: dict[str, Any], groups: list[str]) -> None:
    """Queue an event for after the surrounding transaction commits (or now, outside one)."""
    event = {"type": event_type, "id": uuid.uuid4().hex, "ticket": ticket_id, **payload}
    transaction.on_commit(lambda: _send(groups, event))


def _send(groups: list[str], event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_send_all)(layer, groups, {"type": LAYER_TYPE, "event": event})
    except Exception:  # the data is committed; a lost push is re-fetched on reconnect
        logger.exception("could not push %s to %s", event["type"], groups)


async def _send_all(layer, groups: list[str], message: dict[str, Any]) -> None:
    # One event loop for all groups: each async_to_sync call costs a loop and a connection.
    for group in groups:
        await layer.group_send(group, message)
