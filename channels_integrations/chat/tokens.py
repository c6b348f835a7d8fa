"""Signed tokens: the visitor's key to resume a conversation, and the email confirmation link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

_VISITOR_SALT = "channels_integrations.chat.visitor"
_VERIFY_SALT = "channels_integrations.chat.verify-email"
# Long enough to come back to the shop a few weeks later and find the conversation.
VISITOR_TOKEN_MAX_AGE = timedelta(days=30)
VERIFY_LINK_MAX_AGE = timedelta(days=2)


@dataclass(frozen=True)
class VisitorToken:
    conversation_id: int
    widget_id: int
    visitor: str


def visitor_token(*, conversation_id: int, widget_id: int, visitor: str) -> str:
    return signing.dumps({"c": conversation_id, "w": widget_id, "v": visitor}, salt=_VISITOR_SALT,
                         compress=True)


def read_visitor_token(token: str, *, widget_id: int) -> VisitorToken | None:
    """The token's claims, or None when it is forged, expired or from another widget."""
    if not token or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=_VISITOR_SALT, max_age=VISITOR_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != widget_id:
        return None
    try:
        return VisitorToken(conversation_id=int(data["c"]), widget_id=widget_id, visitor=str(data["v"]))
    except (KeyError, TypeError, ValueError):
        return None


def email_link_token(*, conversation_id: int, email: str) -> str:
    return signing.dumps({"c": conversation_id, "e": email}, salt=_VERIFY_SALT, compress=True)


def read_email_link_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=VERIFY_LINK_MAX_AGE)
        return int(data["c"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
