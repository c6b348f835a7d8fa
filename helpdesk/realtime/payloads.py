"""Event payloads as plain dicts, the same shape the API serializers give.

Built for every inbound contact, so they avoid DRF's per-instance field building;
tests/helpdesk/realtime/test_payloads.py proves they equal the serializers' output.
"""

from __future__ import annotations

from typing import Any

from rest_framework.fields import DateTimeField

_datetime = DateTimeField()


def _when(value) -> str | None:
    return _datetime.to_representation(value) if value else None


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.display_name} if user else None


def _named(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj else None


def ticket_summary(ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "last_channel": ticket.last_channel,
        "customer": {"id": ticket.customer.pk, "name": ticket.customer.display_name},
        "owner": _person(ticket.owner),
        "team": _named(ticket.team),
        "store": _named(ticket.store),
        "last_message_preview": ticket.last_message_preview,
        "message_count": ticket.message_count,
        "created_at": _when(ticket.created_at),
        "updated_at": _when(ticket.updated_at),
        "last_message_at": _when(ticket.last_message_at),
        "first_response_due": _when(ticket.first_response_due),
        "resolution_due": _when(ticket.resolution_due),
        "first_response_at": _when(ticket.first_response_at),
        "solved_at": _when(ticket.solved_at),
        "reopen_count": ticket.reopen_count,
    }


def message_summary(message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "ticket": message.ticket_id,
        "channel": message.channel,
        "direction": message.direction,
        "author": _person(message.author) if message.author_id else None,
        "sender": message.sender,
        "subject": message.subject,
        "text": message.text,
        "html": message.html,
        "delivery_status": message.delivery_status,
        "delivery_error": message.delivery_error,
        "is_automatic": message.is_automatic,
        "sent_at": _when(message.sent_at),
        "created_at": _when(message.created_at),
    }
