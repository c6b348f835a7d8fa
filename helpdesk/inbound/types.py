"""What every channel adapter hands to `ingest()`: typed, validated, database-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SenderClaims:
    """What the contact says about who sent it, already normalised."""

    email: str = ""
    phone: str = ""
    handle: str = ""
    name: str = ""
    loyalty_card: str = ""


@dataclass(frozen=True)
class ThreadHints:
    ticket: int | None = None
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    conversation: str = ""


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    sender: SenderClaims
    text: str = ""
    html: str = ""
    subject: str = ""
    external_id: str | None = None
    account: str = ""
    thread: ThreadHints = field(default_factory=ThreadHints)
    thread_id: str = ""
    store_id: int | None = None
    sent_at: datetime | None = None
    attachments: tuple[InboundAttachment, ...] = ()
    is_automatic: bool = False
    author_id: int | None = None  # staff member who logged it (counter, phone)


@dataclass(frozen=True)
class IngestResult:
    message_id: int
    ticket_id: int
    customer_id: int
    created: bool
