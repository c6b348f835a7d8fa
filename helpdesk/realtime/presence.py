"""Which staff are online, through the cache (Redis in production) so every node agrees."""

from __future__ import annotations

import time

from django.core.cache import cache

_KEY = "presence:online:{user_id}"
_INDEX = "presence:online:index"
# A socket refreshes its mark with every heartbeat; a mark this old means the agent is gone.
TTL_SECONDS = 90


def mark_online(user_id: int) -> None:
    cache.set(_KEY.format(user_id=user_id), time.time(), TTL_SECONDS)
    index = set(cache.get(_INDEX) or [])
    if user_id not in index:
        index.add(user_id)
        cache.set(_INDEX, sorted(index), None)


def mark_offline(user_id: int) -> None:
    cache.delete(_KEY.format(user_id=user_id))


def online_user_ids() -> set[int]:
    index = cache.get(_INDEX) or []
    if not index:
        return set()
    alive = cache.get_many([_KEY.format(user_id=user_id) for user_id in index])
    return {user_id for user_id in index if _KEY.format(user_id=user_id) in alive}
