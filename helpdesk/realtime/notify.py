"""Build event payloads from in-memory objects and publish them after commit."""

from __future__ import annotations

from helpdesk import events
from helpdesk.realtime.groups import ticket_groups


def ticket_event(event_type: str, ticket) -> None:
    from helpdesk.tickets.serializers import TicketListSerializer

    events.publish(
        event_type,
        ticket_id=ticket.pk,
        payload={"object": TicketListSerializer(ticket).data},
        groups=ticket_groups(ticket),
    )


def message_created(message, ticket) -> None:
    from helpdesk.tickets.serializers import EventMessageSerializer

    events.publish(
        events.MESSAGE_CREATED,
        ticket_id=ticket.pk,
        payload={"object": EventMessageSerializer(message).data},
        groups=ticket_groups(ticket),
    )
