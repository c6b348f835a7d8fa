"""Reply tokens: `support+t1234-0a1b2c3d4e@shop.example` routes a customer's answer to ticket 1234.

The token is the ticket id plus an HMAC (keyed by SECRET_KEY) so nobody can guess the
address of someone else's ticket and inject mail into it. Ten hex characters (40 bits)
are plenty for an address that only routes mail; the comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

_DIGEST_CHARS = 10
_TOKEN_RE = re.compile(rf"^t(\d{{1,18}})-([0-9a-f]{{{_DIGEST_CHARS}}})$")


def _digest(ticket_id: int) -> str:
    key = f"helpdesk.email.reply-token:{settings.SECRET_KEY}".encode()
    return hmac.new(key, str(ticket_id).encode(), hashlib.sha256).hexdigest()[:_DIGEST_CHARS]


def reply_token(ticket_id: int) -> str:
    """`t<id>-<10 hex>` for a ticket."""
    return f"t{int(ticket_id)}-{_digest(int(ticket_id))}"


def ticket_id_from_token(token: str) -> int | None:
    """The ticket id a token names, or None when it is malformed or forged."""
    match = _TOKEN_RE.match((token or "").strip().lower())
    if not match:
        return None
    ticket_id = int(match.group(1))
    if not hmac.compare_digest(_digest(ticket_id), match.group(2)):
        return None
    return ticket_id


def ticket_id_from_address(address: str) -> int | None:
    """The ticket id of a `local+token@domain` address (case-insensitive), else None."""
    address = (address or "").strip().strip("<>").lower()
    local, at, _domain = address.rpartition("@")
    if not at or "+" not in local:
        return None
    return ticket_id_from_token(local.rsplit("+", 1)[1])


def reply_address(mailbox_address: str, ticket_id: int) -> str:
    """`local+token@domain` built from the mailbox's address (any existing +tag replaced)."""
    local, at, domain = mailbox_address.strip().rpartition("@")
    if not at or not local:
        raise ValueError(f"not an email address: {mailbox_address!r}")
    local = local.split("+", 1)[0]
    return f"{local}+{reply_token(ticket_id)}@{domain}"
