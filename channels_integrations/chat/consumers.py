"""/ws/chat/<widget key>/: the website visitor's socket.

It has no session and no cookies: the widget key and the page's Origin decide whether
it opens at all, and a signed visitor token (not the socket) carries the conversation
across reconnects and page changes. Frames are parsed at the edge (protocol.py); the
writes are the chat services; the visitor joins only the group of their own ticket.
"""

from __future__ import annotations

import logging
import time

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from channels_integrations.chat import delivery, protocol, ratelimit, selectors, services, verification
from helpdesk import events
from helpdesk.inbound.attachments import AttachmentRejected
from helpdesk.inbound.types import InboundAttachment
from helpdesk.realtime.dbthreads import in_db_thread as in_thread
from helpdesk.realtime.groups import chat_visitor_group, ticket_viewers_group
from helpdesk.realtime.sockets import NoConnectionSweep

logger = logging.getLogger(__name__)

# Typing is forwarded at most this often, so a fast typist does not flood the agent's screen.
TYPING_INTERVAL_SECONDS = 2.0
# Codes the widget shows a text for; anything else is a bug and reported as "error".
_ERROR_CODES = {"ended", "email_mismatch", "email_required", "already_sent", "empty"}
# What a rate-limited action returns instead of its result.
_RATE_LIMITED = object()


def _if_allowed(check, action):
    """Run `action` only within the budget `check` allows: one thread hop for both."""

    def run(check_kwargs: dict, **kwargs):
        if not check(**check_kwargs):
            return _RATE_LIMITED
        return action(**kwargs)

    return run


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


class VisitorConsumer(NoConnectionSweep, AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        key = self.scope["url_route"]["kwargs"]["key"]
        origin = _header(self.scope, b"origin")
        self.widget = await in_thread(services.widget_for_socket)(key, origin)
        if self.widget is None:
            logger.info("chat socket refused: widget %r from origin %r", key[:16], origin[:100])
            await self.close(code=4403)
            return
        self.ip = (self.scope.get("client") or [None])[0]
        self.conversation_id: int | None = None
        self.visitor = ""
        self.ticket_id: int | None = None
        self.last_typing = 0.0
        await self.accept()
        available = await in_thread(selectors.agents_available)(self.widget)
        await self.send_json({
            "type": "hello", "name": self.widget.name, "greeting": self.widget.greeting,
            "prechat_fields": self.widget.pre_chat_fields, "agents_available": available,
            "max_attachment_bytes": self.widget.max_attachment_bytes,
        })

    async def disconnect(self, code: int) -> None:
        if getattr(self, "ticket_id", None) is not None:
            await self._join(None)

    # --- frames from the visitor -------------------------------------------------

    async def receive_json(self, content, **kwargs) -> None:
        try:
            frame = protocol.parse(content, max_attachment_bytes=self.widget.max_attachment_bytes)
        except protocol.BadFrame as exc:
            logger.info("chat frame ignored: %s", exc.code)
            await self._error(exc.code, exc.client_id)
            return
        if self.conversation_id is None and not isinstance(frame, protocol.Start | protocol.Ping):
            await self._error("not_started")
            return
        handler = getattr(self, f"on_{type(frame).__name__.lower()}")
        try:
            await handler(frame)
        except services.ChatRefused as exc:
            code = exc.code if exc.code in _ERROR_CODES else "error"
            await self._error(code, getattr(frame, "client_id", ""))

    async def on_start(self, frame: protocol.Start) -> None:
        # Every start counts against the address: a forged token must not open conversations for free.
        session = await in_thread(_if_allowed(ratelimit.allow_ip, services.conversation_start))(
            {"ip": self.ip}, widget=self.widget, token=frame.token, prechat=frame.prechat, ip=self.ip,
            base_url=self._base_url(),
        )
        if session is _RATE_LIMITED:
            await self._error("rate_limited")
            return
        self.conversation_id = session.conversation.pk
        self.visitor = session.conversation.conversation_key
        await self._join(session.conversation.ticket_id)
        await self.send_json(session.answer())

    async def on_say(self, frame: protocol.Say) -> None:
        await self._ingest(frame.client_id, services.conversation_say, text=frame.text)

    async def on_leavemessage(self, frame: protocol.LeaveMessage) -> None:
        await self._ingest(frame.client_id, services.conversation_leave_message, text=frame.text,
                           email=frame.email, name=frame.name, base_url=self._base_url())

    async def on_upload(self, frame: protocol.Upload) -> None:
        attachment = InboundAttachment(filename=frame.filename, content_type=frame.content_type,
                                       content=frame.content)
        await self._ingest(frame.client_id, services.conversation_say, text=frame.text,
                           attachments=(attachment,))

    async def _ingest(self, client_id: str, action, **kwargs) -> None:
        try:
            result = await in_thread(_if_allowed(ratelimit.allow, action))(
                {"visitor": self.visitor, "ip": self.ip},
                conversation_id=self.conversation_id, client_id=client_id, **kwargs
            )
        except AttachmentRejected:
            await self._error("too_large", client_id)
            return
        if result is _RATE_LIMITED:
            await self._error("rate_limited", client_id)
            return
        await self._join(result.ticket_id)
        await self.send_json({"type": "ack", "client_id": client_id, "id": result.message_id})

    async def on_typing(self, frame: protocol.Typing) -> None:
        now = time.monotonic()
        if self.ticket_id is None or now - self.last_typing < TYPING_INTERVAL_SECONDS:
            return
        self.last_typing = now
        # To the staff who have the ticket open; never to other visitors.
        event = {"type": "typing", "ticket": self.ticket_id, "who": "visitor"}
        await self.channel_layer.group_send(
            ticket_viewers_group(self.ticket_id), {"type": events.LAYER_TYPE, "event": event}
        )

    async def on_read(self, frame: protocol.Read) -> None:
        if self.ticket_id is not None:
            await in_thread(delivery.messages_mark_read)(
                ticket_id=self.ticket_id, up_to=frame.up_to
            )

    async def on_delivered(self, frame: protocol.Delivered) -> None:
        if self.ticket_id is not None:
            await in_thread(delivery.message_mark_delivered)(
                ticket_id=self.ticket_id, message_id=frame.message_id
            )

    async def on_verify(self, frame: protocol.Verify) -> None:
        verified = await in_thread(verification.conversation_verify_order_by_id)(
            conversation_id=self.conversation_id, order_number=frame.order_number, postcode=frame.postcode
        )
        await self.send_json({"type": "verified"} if verified else {"type": "error", "code": "not_verified"})

    async def on_end(self, frame: protocol.End) -> None:
        conversation = await in_thread(services.conversation_end)(
            conversation_id=self.conversation_id
        )
        await self._join(None)
        await self.send_json({"type": "ended", "email": conversation.claimed_email})

    async def on_transcript(self, frame: protocol.Transcript) -> None:
        email = await in_thread(services.conversation_send_transcript)(
            conversation_id=self.conversation_id, email=frame.email
        )
        await self.send_json({"type": "transcript_sent", "email": email})

    async def on_ping(self, frame: protocol.Ping) -> None:
        if self.conversation_id is not None:
            await in_thread(services.conversation_touch)(conversation_id=self.conversation_id)
        await self.send_json({"type": "pong"})

    # --- events for the visitor (group messages) ------------------------------------

    async def chat_message(self, event: dict) -> None:
        message = event.get("message") or {}
        # Whatever a sender put in, only the visitor-safe fields leave for the browser.
        safe = {name: message.get(name) for name in selectors.VISITOR_MESSAGE_FIELDS}
        if safe["direction"] != "out":
            return
        await self.send_json({**safe, "type": "message"})

    async def chat_agent_typing(self, event: dict) -> None:
        await self.send_json({"type": "typing", "name": str(event.get("name") or "")[:100]})

    async def chat_agent_joined(self, event: dict) -> None:
        await self.send_json({"type": "agent_joined", "name": str(event.get("name") or "")[:100]})

    # --- helpers -----------------------------------------------------------------

    async def _join(self, ticket_id: int | None) -> None:
        """Be in the group of this conversation's current ticket, and in no other."""
        if ticket_id == self.ticket_id:
            return
        if self.ticket_id is not None:
            await self.channel_layer.group_discard(chat_visitor_group(self.ticket_id), self.channel_name)
        if ticket_id is not None:
            await self.channel_layer.group_add(chat_visitor_group(ticket_id), self.channel_name)
        self.ticket_id = ticket_id

    async def _error(self, code: str, client_id: str = "") -> None:
        extra = {"client_id": client_id} if client_id else {}
        await self.send_json({"type": "error", "code": code, **extra})

    def _base_url(self) -> str:
        from django.conf import settings

        return verification.base_url_for(
            host=_header(self.scope, b"host"), secure=self.scope.get("scheme") == "wss",
            allowed_hosts=settings.ALLOWED_HOSTS,
        )
