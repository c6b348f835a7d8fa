"""/ws/agent/: live ticket and message events for signed-in staff, within their reach."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from helpdesk.realtime.groups import groups_for_user


class AgentConsumer(AsyncJsonWebsocketConsumer):
    groups: list[str] = []

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.joined = await database_sync_to_async(self._groups_for)(user)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "groups": len(self.joined)})

    @staticmethod
    def _groups_for(user) -> list[str]:
        store_ids = [] if user.sees_every_ticket else list(user.stores.values_list("id", flat=True))
        return groups_for_user(user, store_ids)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def helpdesk_event(self, message: dict) -> None:
        await self.send_json(message["event"])
