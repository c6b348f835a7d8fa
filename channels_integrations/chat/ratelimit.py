"""Per-visitor and per-IP message budgets, counted in the shared cache (Redis in production).

Every chat message passes here, so on Redis both counters are bumped in one round trip
(a pipeline of SET NX EX + INCR per key) instead of four; other cache backends (tests
without Redis, the single-process quick start) use the cache API.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

_WINDOW_SECONDS = 60


def _counts_redis(backend: RedisCache, keys: list[str]) -> list[int]:
    full = [backend.make_and_validate_key(key) for key in keys]
    client = backend._cache.get_client(full[0], write=True)
    pipe = client.pipeline(transaction=False)
    for key in full:
        # SET NX starts the window (and its expiry); INCR keeps the expiry it finds.
        pipe.set(key, 0, ex=_WINDOW_SECONDS, nx=True)
        pipe.incr(key)
    return [int(count) for count in pipe.execute()[1::2]]


def _count_cache(key: str) -> int:
    cache.add(key, 0, _WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.add(key, 1, _WINDOW_SECONDS)
        return 1


def _within(budgets: list[tuple[str, int]]) -> bool:
    """Count one hit on each budget (key, limit) with a limit; False when any is over it."""
    budgets = [(key, limit) for key, limit in budgets if limit > 0]
    if not budgets:
        return True
    keys = [key for key, _ in budgets]
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        counts = _counts_redis(backend, keys)
    else:
        counts = [_count_cache(key) for key in keys]
    return all(count <= limit for count, (_, limit) in zip(counts, budgets, strict=True))


def allow(*, visitor: str, ip: str | None) -> bool:
    """One message (text or file) from this visitor at this address: within both budgets?"""
    budgets = [(f"chat:rate:visitor:{visitor}", settings.CHAT_RATE_PER_VISITOR_PER_MINUTE)]
    if ip:
        budgets.append((f"chat:rate:ip:{ip}", settings.CHAT_RATE_PER_IP_PER_MINUTE))
    return _within(budgets)


def allow_ip(ip: str | None) -> bool:
    """Starting a conversation counts against the address only (a new visitor id is free to make)."""
    return _within([(f"chat:rate:ip:{ip}", settings.CHAT_RATE_PER_IP_PER_MINUTE)]) if ip else True
