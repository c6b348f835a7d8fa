"""Build event payloads from in-memory objects and publish them after commit."""

from __future__ import annotations

from helpdesk import events
from helpdesk.realtime.groups import ticket_groups
from helpdesk.realtime.payloads import message_summary, ticket_summary


def ticket_event(event_type: str, ticket) -> None:
    events.publish(
        event_type,
        ticket_id=ticket.pk,
        payload={"object": ticket_summary(ticket)},
        groups=ticket_groups(ticket),
    )


def message_created(message, ticket) -> None:
    events.publish(
        events.MESSAGE_CREATED,
        ticket_id=ticket.pk,
        payload={"object": message_summary(message)},
        groups=ticket_groups(ticket),
    )
