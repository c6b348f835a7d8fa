"""Delivery status of chat replies: sent by the adapter, delivered and read by the visitor's widget.

Every move is a conditional update that only goes forward (queued → sent → delivered →
read), so acknowledgements that arrive out of order never move a message back.
"""

from __future__ import annotations

from django.db import transaction

from helpdesk import events
from helpdesk.realtime.groups import ticket_groups
from helpdesk.realtime.payloads import message_summary
from helpdesk.tickets.models import DeliveryStatus, Direction, Message

CHANNEL = "chat"
_EARLIER = {
    DeliveryStatus.SENT: (DeliveryStatus.QUEUED,),
    DeliveryStatus.DELIVERED: (DeliveryStatus.QUEUED, DeliveryStatus.SENT),
    DeliveryStatus.READ: (DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED),
}


def _advance(messages, status: str) -> list[int]:
    """Move chat replies that are behind `status` to it; publish message.status for each moved one."""
    with transaction.atomic():
        moved = list(
            messages.filter(channel=CHANNEL, direction=Direction.OUT, delivery_status__in=_EARLIER[status])
            .select_for_update(of=("self",))
            .select_related("author", "ticket")
            .order_by("id")
        )
        if not moved:
            return []
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(delivery_status=status)
        for message in moved:
            message.delivery_status = status
            events.publish(
                events.MESSAGE_STATUS, ticket_id=message.ticket_id,
                payload={"object": message_summary(message)},
                groups=ticket_groups(message.ticket),
            )
    return [m.pk for m in moved]


def message_mark_sent(*, message_id: int) -> bool:
    return bool(_advance(Message.objects.filter(pk=message_id), DeliveryStatus.SENT))


def message_mark_delivered(*, ticket_id: int, message_id: int) -> bool:
    """The visitor's widget received this reply (it must be a reply on the visitor's own ticket)."""
    reply = Message.objects.filter(pk=message_id, ticket_id=ticket_id)
    return bool(_advance(reply, DeliveryStatus.DELIVERED))


def messages_mark_read(*, ticket_id: int, up_to: int) -> list[int]:
    """The visitor has seen every reply of their ticket up to this id."""
    return _advance(Message.objects.filter(ticket_id=ticket_id, pk__lte=up_to), DeliveryStatus.READ)
