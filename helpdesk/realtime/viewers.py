"""Who has a ticket open and who is typing a reply on it: collision detection.

The list lives in the cache (Redis in production), one entry per ticket, so agents
connected to different server processes see each other. Each socket is one row, so
two tabs of one agent count once and closing one tab keeps the other. Rows expire:
a socket that vanished without saying goodbye (a crashed node) drops out after
VIEW_TTL seconds without a heartbeat.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache

# Sockets send a heartbeat every 30 s; three missed ones and the viewer is gone.
VIEW_TTL = 90
# A typing mark lasts this long; clients renew it every couple of seconds while typing.
TYPING_TTL = 6
# Re-announce ongoing typing this often, so other screens' typing marks do not lapse.
TYPING_RENEW = TYPING_TTL / 2

_KEY = "presence:ticket:{ticket_id}"


@dataclass(frozen=True)
class Snapshot:
    viewers: list[dict]
    typing: list[dict]

    def as_event(self, ticket_id: int) -> dict:
        return {"type": "presence", "ticket": ticket_id, "viewers": self.viewers, "typing": self.typing}


def _key(ticket_id: int) -> str:
    return _KEY.format(ticket_id=ticket_id)


@contextlib.contextmanager
def _locked(key: str) -> Iterator[None]:
    """A short cross-process lock (SET NX) around one read-modify-write of a ticket's row."""
    lock, token = f"{key}:lock", uuid.uuid4().hex
    for _ in range(50):
        if cache.add(lock, token, timeout=2):
            break
        time.sleep(0.02)
    # After a second we go ahead anyway: a lost update heals at the next heartbeat.
    try:
        yield
    finally:
        if cache.get(lock) == token:
            cache.delete(lock)


def _live_rows(ticket_id: int, now: float) -> dict[str, dict]:
    rows = cache.get(_key(ticket_id)) or {}
    return {socket: row for socket, row in rows.items() if now - row["at"] < VIEW_TTL}


def _save(ticket_id: int, rows: dict[str, dict]) -> None:
    if rows:
        cache.set(_key(ticket_id), rows, VIEW_TTL)
    else:
        cache.delete(_key(ticket_id))


def _snapshot(rows: dict[str, dict], now: float) -> Snapshot:
    viewers: dict[int, dict] = {}
    typing: dict[int, dict] = {}
    for row in rows.values():
        person = {"id": row["id"], "name": row["name"]}
        viewers[row["id"]] = person
        if now - row.get("typing", 0) < TYPING_TTL:
            typing[row["id"]] = person
    by_name = lambda person: (person["name"], person["id"])  # noqa: E731
    return Snapshot(sorted(viewers.values(), key=by_name), sorted(typing.values(), key=by_name))


def join(ticket_id: int, *, socket: str, user_id: int, name: str) -> Snapshot:
    now = time.time()
    with _locked(_key(ticket_id)):
        rows = _live_rows(ticket_id, now)
        rows[socket] = {"id": user_id, "name": name, "at": now, "typing": 0}
        _save(ticket_id, rows)
    return _snapshot(rows, now)


def leave(ticket_id: int, *, socket: str) -> Snapshot:
    now = time.time()
    with _locked(_key(ticket_id)):
        rows = _live_rows(ticket_id, now)
        rows.pop(socket, None)
        _save(ticket_id, rows)
    return _snapshot(rows, now)


def typing(ticket_id: int, *, socket: str, user_id: int, name: str, active: bool) -> Snapshot | None:
    """Mark or clear this socket's typing; a snapshot when the others should hear of it."""
    now = time.time()
    with _locked(_key(ticket_id)):
        rows = _live_rows(ticket_id, now)
        row = rows.get(socket) or {"id": user_id, "name": name, "typing": 0}
        before = row.get("typing", 0)
        was_typing = now - before < TYPING_TTL
        row.update(at=now, typing=now if active else 0)
        if active and was_typing and now - before < TYPING_RENEW:
            row["typing"] = before  # keep the announced mark; nothing new to say yet
        rows[socket] = row
        _save(ticket_id, rows)
    announce = (active and row["typing"] != before) or (not active and was_typing)
    return _snapshot(rows, now) if announce else None


def touch(ticket_id: int, *, socket: str, user_id: int, name: str) -> Snapshot | None:
    """A heartbeat: keep this socket's row alive; a snapshot if the row had been lost."""
    now = time.time()
    with _locked(_key(ticket_id)):
        rows = _live_rows(ticket_id, now)
        lost = socket not in rows
        row = rows.setdefault(socket, {"id": user_id, "name": name, "typing": 0})
        row["at"] = now
        _save(ticket_id, rows)
    return _snapshot(rows, now) if lost else None


def snapshot(ticket_id: int) -> Snapshot:
    now = time.time()
    return _snapshot(_live_rows(ticket_id, now), now)
