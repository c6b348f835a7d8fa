"""Per-visitor and per-IP message budgets, counted in the shared cache (Redis in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

_WINDOW_SECONDS = 60


def _hit(key: str, limit: int) -> bool:
    """Count one hit in the window that began with the first hit; False when over the limit."""
    if limit <= 0:
        return True
    # add() starts the window (and its expiry); incr() keeps the expiry it finds.
    cache.add(key, 0, _WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.add(key, 1, _WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow(*, visitor: str, ip: str | None) -> bool:
    """One message (text or file) from this visitor at this address: within both budgets?"""
    visitor_ok = _hit(f"chat:rate:visitor:{visitor}", settings.CHAT_RATE_PER_VISITOR_PER_MINUTE)
    ip_ok = _hit(f"chat:rate:ip:{ip}", settings.CHAT_RATE_PER_IP_PER_MINUTE) if ip else True
    return visitor_ok and ip_ok


def allow_ip(ip: str | None) -> bool:
    """Starting a conversation counts against the address only (a new visitor id is free to make)."""
    return _hit(f"chat:rate:ip:{ip}", settings.CHAT_RATE_PER_IP_PER_MINUTE) if ip else True
