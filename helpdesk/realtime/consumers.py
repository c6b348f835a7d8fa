"""/ws/agent/: live ticket and message events for signed-in staff, within their reach,
and collision detection: who else has a ticket open and who is typing a reply.

Client messages:
  {"type": "view", "ticket": id}     open a ticket (reach is checked first)
  {"type": "leave", "ticket": id}    close it
  {"type": "typing", "ticket": id, "active": true, "channel": "chat"}
                                     typing a reply (false: stopped); `channel` is the
                                     reply channel the agent picked
  {"type": "heartbeat"}              every 30 s: still online, still viewing
Server messages: the ticket events, {"type": "presence", "ticket", "viewers", "typing"}
for viewed tickets, {"type": "typing", "ticket", "who": "visitor"} from the chat side,
and {"type": "view.refused", "ticket"} for a ticket out of reach (or none at all).
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from helpdesk import events
from helpdesk.realtime import presence, viewers
from helpdesk.realtime.groups import chat_visitor_group, groups_for_user, ticket_viewers_group
from helpdesk.realtime.sockets import NoConnectionSweep

# A socket watches a handful of tickets at most (a page, a split view), never a scan.
MAX_VIEWED = 10


def _off_loop(fn):
    """Cache calls (presence rows) run in a worker thread of their own: a short lock wait there
    must not hold up the one thread that serves every socket's database work."""
    return sync_to_async(fn, thread_sensitive=False)


def _ticket_id(content: dict) -> int | None:
    value = content.get("ticket")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class AgentConsumer(NoConnectionSweep, AsyncJsonWebsocketConsumer):
    groups: list[str] = []

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.user = user
        self.name = user.display_name
        # ticket id -> the channel a reply on it goes out on by default
        self.viewing: dict[int, str] = {}
        self.joined = await database_sync_to_async(self._groups_for)(user)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await _off_loop(presence.mark_online)(user.pk)
        await self.send_json({"type": "hello", "groups": len(self.joined), "user": user.pk})

    @staticmethod
    def _groups_for(user) -> list[str]:
        store_ids = [] if user.sees_every_ticket else list(user.stores.values_list("id", flat=True))
        return groups_for_user(user, store_ids)

    async def disconnect(self, code: int) -> None:
        for ticket_id in list(getattr(self, "viewing", {})):
            await self._leave(ticket_id)
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if hasattr(self, "user"):
            await _off_loop(presence.mark_offline)(self.user.pk)

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict):
            return  # unknown frames are ignored: a browser tab must not crash the socket
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "heartbeat":
            await self._heartbeat()
        elif kind in ("view", "leave", "typing") and (ticket_id := _ticket_id(content)):
            if kind == "view":
                await self._view(ticket_id)
            elif kind == "leave":
                await self._leave(ticket_id)
            else:
                await self._typing(ticket_id, bool(content.get("active", True)), content.get("channel"))

    # --- presence -------------------------------------------------------------

    async def _view(self, ticket_id: int) -> None:
        if ticket_id in self.viewing:  # a page re-announcing itself after a reconnect of its own
            snapshot = await _off_loop(viewers.snapshot)(ticket_id)
            await self.send_json(snapshot.as_event(ticket_id))
            return
        channel = await database_sync_to_async(self._reply_channel_in_reach)(ticket_id)
        if channel is None or len(self.viewing) >= MAX_VIEWED:
            await self.send_json({"type": "view.refused", "ticket": ticket_id})
            return
        self.viewing[ticket_id] = channel
        await self.channel_layer.group_add(ticket_viewers_group(ticket_id), self.channel_name)
        snapshot = await _off_loop(viewers.join)(
            ticket_id, socket=self.channel_name, user_id=self.user.pk, name=self.name
        )
        await self._broadcast(ticket_id, snapshot)

    def _reply_channel_in_reach(self, ticket_id: int) -> str | None:
        from helpdesk.tickets.selectors import ticket_for_action

        ticket = ticket_for_action(self.user, ticket_id)
        return None if ticket is None else (ticket.last_channel or ticket.channel)

    async def _leave(self, ticket_id: int) -> None:
        if self.viewing.pop(ticket_id, None) is None:
            return
        snapshot = await _off_loop(viewers.leave)(ticket_id, socket=self.channel_name)
        await self._broadcast(ticket_id, snapshot)
        await self.channel_layer.group_discard(ticket_viewers_group(ticket_id), self.channel_name)

    async def _typing(self, ticket_id: int, active: bool, channel) -> None:
        if ticket_id not in self.viewing:
            return  # typing on a ticket one has not opened (or may not see) says nothing
        snapshot = await _off_loop(viewers.typing)(
            ticket_id, socket=self.channel_name, user_id=self.user.pk, name=self.name, active=active
        )
        if snapshot is None:
            return
        await self._broadcast(ticket_id, snapshot)
        reply_channel = channel if isinstance(channel, str) and channel else self.viewing[ticket_id]
        if active and _shows_typing(reply_channel):
            # Only a reply reaches the visitor's screen this way; internal notes never do.
            await self.channel_layer.group_send(
                chat_visitor_group(ticket_id), {"type": "chat.agent_typing", "name": self.name}
            )

    async def _heartbeat(self) -> None:
        await _off_loop(presence.mark_online)(self.user.pk)
        for ticket_id in list(self.viewing):
            snapshot = await _off_loop(viewers.touch)(
                ticket_id, socket=self.channel_name, user_id=self.user.pk, name=self.name
            )
            if snapshot is not None:
                await self._broadcast(ticket_id, snapshot)

    async def _broadcast(self, ticket_id: int, snapshot: viewers.Snapshot) -> None:
        await self.channel_layer.group_send(
            ticket_viewers_group(ticket_id),
            {"type": events.LAYER_TYPE, "event": snapshot.as_event(ticket_id)},
        )

    # --- channel-layer handlers ----------------------------------------------

    async def helpdesk_event(self, message: dict) -> None:
        for event in events.events_of(message):
            await self.send_json(event)

    async def typing(self, message: dict) -> None:
        """The chat side says the visitor is typing on a ticket this socket has open."""
        ticket_id = message.get("ticket")
        if ticket_id in getattr(self, "viewing", {}):
            who = message.get("who", "visitor")
            await self.send_json({"type": "typing", "ticket": ticket_id, "who": who})


def _shows_typing(channel) -> bool:
    from channels_integrations.registry import CHANNELS

    spec = CHANNELS.get(channel) if isinstance(channel, str) else None
    return bool(spec and spec.live_typing)
