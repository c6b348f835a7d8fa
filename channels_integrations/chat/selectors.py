"""Reads for the chat: what a visitor may see, and what the agent workspace shows about a chat.

A visitor sees their own messages and the public replies in their conversation, and
nothing else: no internal notes, no other tickets, orders or names from the customer's
history, even when the email they typed matches a known customer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from agents.models import Role, User
from channels_integrations.chat.models import ChatConversation, ChatWidget
from helpdesk.realtime import presence
from helpdesk.tickets.models import Direction, Message

CHANNEL = "chat"
# The only message fields that ever leave for a visitor's browser.
VISITOR_MESSAGE_FIELDS = ("id", "direction", "text", "author", "sent_at", "attachments")


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def visitor_message(message: Message, *, attachments: list[dict] | None = None) -> dict[str, Any]:
    """The visitor-safe view of one inbound or outbound message (never a note)."""
    if message.direction not in (Direction.IN, Direction.OUT):
        raise ValueError(f"message {message.pk} is a {message.direction}, not for a visitor")
    author = None
    if message.direction == Direction.OUT:
        name = message.author.display_name if message.author else ""
        author = {"name": name, "initials": initials(name), "avatar": None}
    return {
        "id": message.pk,
        "direction": message.direction,
        "text": message.text,
        "author": author,
        "sent_at": message.sent_at.isoformat(),
        "attachments": attachments or [],
    }


def visible_messages(conversation: ChatConversation):
    """This conversation's own messages: the visitor's and the public chat replies since it began."""
    own = Message.objects.filter(
        channel=CHANNEL, direction=Direction.IN, conversation=conversation.conversation_key,
        account=conversation.widget.key, sent_at__gte=conversation.created_at,
    )
    ticket_ids = set(own.values_list("ticket_id", flat=True))
    if conversation.ticket_id:
        ticket_ids.add(conversation.ticket_id)
    replies = Q(ticket_id__in=ticket_ids, channel=CHANNEL, direction=Direction.OUT,
                sent_at__gte=conversation.created_at)
    mine = Q(pk__in=own.values("pk"))
    return (
        Message.objects.filter(mine | replies)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("sent_at", "id")
    )


def history(conversation: ChatConversation, limit: int = 200) -> list[dict[str, Any]]:
    messages = list(visible_messages(conversation))[-limit:]
    return [visitor_message(m, attachments=_files(m)) for m in messages]


def _files(message: Message) -> list[dict[str, Any]]:
    return [{"filename": a.filename, "size": a.size} for a in message.attachments.all()]


def agents_available(widget: ChatWidget) -> bool:
    """An active agent of the widget's team (any team when it has none) is online now."""
    online = presence.online_user_ids()
    if not online:
        return False
    agents = User.objects.filter(pk__in=online, is_active=True, role=Role.AGENT)
    if widget.team_id:
        agents = agents.filter(teams=widget.team_id)
    return agents.exists()


def conversation_for_ticket(ticket_id: int) -> dict[str, Any] | None:
    """For the agent workspace: who the chat visitor says they are, and what is proven."""
    conversation = (
        ChatConversation.objects.select_related("widget").filter(ticket_id=ticket_id)
        .order_by("-created_at", "-id").first()
    )
    if conversation is None:
        return None
    return {
        "email": conversation.claimed_email,
        "email_verified": conversation.email_verified,
        "verified_via": conversation.verified_via,
        "name": conversation.claimed_name,
        "order_number": conversation.claimed_order_number,
        "visitor": conversation.visitor,
        "widget": conversation.widget.name,
        "left_message": conversation.left_message,
        # A message left while nobody was online is answered by email, not in the chat.
        "reply_channel_hint": "email" if conversation.left_message and conversation.claimed_email else "chat",
        "started_at": conversation.created_at,
        "last_seen_at": conversation.last_seen_at,
        "ended_at": conversation.ended_at,
    }
