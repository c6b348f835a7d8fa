"""The visitor socket's JSON frames, parsed at the edge into typed objects.

Anything a browser sends is untrusted: sizes are capped, emails normalised, ids checked,
and a frame that does not parse becomes a `BadFrame` with a code the widget understands.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from helpdesk.customers.identities import InvalidIdentity, normalise_email

MAX_TEXT = 5000
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BadFrame(ValueError):
    def __init__(self, code: str, client_id: str = ""):
        super().__init__(code)
        self.code = code
        self.client_id = client_id


@dataclass(frozen=True)
class Prechat:
    name: str = ""
    email: str = ""  # normalised
    order_number: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Start:
    token: str
    prechat: Prechat


@dataclass(frozen=True)
class Say:
    text: str
    client_id: str


@dataclass(frozen=True)
class LeaveMessage:
    text: str
    client_id: str
    email: str  # normalised, required
    name: str = ""


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    content: bytes
    client_id: str
    text: str = ""


@dataclass(frozen=True)
class Typing:
    pass


@dataclass(frozen=True)
class Read:
    up_to: int


@dataclass(frozen=True)
class Delivered:
    message_id: int


@dataclass(frozen=True)
class Verify:
    order_number: str
    postcode: str


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Transcript:
    email: str  # normalised, or "" for the conversation's own address


@dataclass(frozen=True)
class Ping:
    pass


Frame = Start | Say | LeaveMessage | Upload | Typing | Read | Delivered | Verify | End | Transcript | Ping


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadFrame("invalid")
    return value.strip()[:limit]


def _email(value: str, client_id: str = "") -> str:
    if not value:
        return ""
    try:
        return normalise_email(value)
    except InvalidIdentity as exc:
        raise BadFrame("invalid_email", client_id) from exc


def _client_id(data: dict) -> str:
    value = data.get("client_id")
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise BadFrame("invalid")
    return value


def _positive_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise BadFrame("invalid")
    return value


def _prechat(data) -> Prechat:
    if not isinstance(data, dict):
        return Prechat()
    return Prechat(
        name=_text(data, "name", 200), email=_email(_text(data, "email", 254)),
        order_number=_text(data, "order_number", 64), postcode=_text(data, "postcode", 16),
    )


def _say(data: dict) -> Say:
    client_id = _client_id(data)
    text = _text(data, "text", MAX_TEXT)
    if not text:
        raise BadFrame("empty", client_id)
    return Say(text=text, client_id=client_id)


def _leave_message(data: dict) -> LeaveMessage:
    say = _say(data)
    email = _email(_text(data, "email", 254), say.client_id)
    if not email:
        raise BadFrame("email_required", say.client_id)
    return LeaveMessage(text=say.text, client_id=say.client_id, email=email, name=_text(data, "name", 200))


def _upload(data: dict, max_bytes: int) -> Upload:
    client_id = _client_id(data)
    encoded = data.get("data")
    if not isinstance(encoded, str) or not encoded:
        raise BadFrame("invalid", client_id)
    if len(encoded) * 3 // 4 > max_bytes + 3:  # refuse before decoding a huge payload
        raise BadFrame("too_large", client_id)
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadFrame("invalid", client_id) from exc
    if len(content) > max_bytes:
        raise BadFrame("too_large", client_id)
    return Upload(filename=_text(data, "filename", 255) or "file", client_id=client_id, content=content,
                  content_type=_text(data, "content_type", 127), text=_text(data, "text", MAX_TEXT))


def parse(data, *, max_attachment_bytes: int) -> Frame:
    """One frame from the visitor's browser; raises BadFrame for anything else."""
    if not isinstance(data, dict):
        raise BadFrame("invalid")
    kind = data.get("type")
    if kind == "start":
        token = data.get("token") or ""
        return Start(token=token if isinstance(token, str) else "", prechat=_prechat(data.get("prechat")))
    if kind == "message":
        return _say(data)
    if kind == "leave_message":
        return _leave_message(data)
    if kind == "attachment":
        return _upload(data, max_attachment_bytes)
    if kind == "typing":
        return Typing()
    if kind == "read":
        return Read(up_to=_positive_int(data.get("up_to")))
    if kind == "delivered":
        return Delivered(message_id=_positive_int(data.get("id")))
    if kind == "verify":
        return Verify(order_number=_text(data, "order_number", 64), postcode=_text(data, "postcode", 16))
    if kind == "end":
        return End()
    if kind == "transcript":
        return Transcript(email=_email(_text(data, "email", 254)))
    if kind == "ping":
        return Ping()
    raise BadFrame("unknown_type")
