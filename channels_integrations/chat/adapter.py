"""Outbound chat: push an agent's reply to the visitor sockets of its ticket.

Inbound chat does not go through here: the visitor socket (consumers.py) parses frames
and calls ingest() itself, because a chat message arrives on a socket, not a webhook.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from channels_integrations.chat import delivery
from channels_integrations.chat.selectors import visitor_message
from helpdesk.realtime.groups import chat_visitor_group
from helpdesk.tickets.models import Direction, Message


class ChatDeliveryError(Exception):
    """A reply that could not be pushed; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


class ChatAdapter:
    channel = "chat"

    def customer_left(self, ticket_id: int) -> bool:
        """Nobody was online: the visitor left a message and an address to be answered on."""
        from channels_integrations.chat.models import ChatConversation

        return ChatConversation.objects.filter(ticket_id=ticket_id, left_message=True).exclude(
            claimed_email=""
        ).exists()

    def send(self, message: Message) -> None:
        # Only public replies ever reach a customer's socket; an internal note is a bug upstream.
        if message.direction != Direction.OUT or message.channel != self.channel:
            raise ChatDeliveryError(
                f"message {message.pk} is a {message.direction} on {message.channel}, not a chat reply",
                permanent=True,
            )
        layer = get_channel_layer()
        if layer is None:
            raise ChatDeliveryError("no channel layer is configured", permanent=True)
        payload = visitor_message(message)
        try:
            async_to_sync(layer.group_send)(
                chat_visitor_group(message.ticket_id), {"type": "chat.message", "message": payload}
            )
        except Exception as exc:  # Redis unreachable: the task retries with backoff
            raise ChatDeliveryError(f"could not push to the visitor: {exc}", permanent=False) from exc
        # Pushed to whoever is connected; a visitor who is not gets it in the history on return.
        delivery.message_mark_sent(message_id=message.pk)
