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
    # A ticket named in the subject ("[#1234]"): the weakest hint, tried after the others.
    subject_ticket: int | None = None


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes
    # Email Content-ID of an inline image, so `cid:` references in the HTML can be
    # pointed at the stored file.
    content_id: str = ""


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
    # Written by a machine (out-of-office, auto-responder): it joins the ticket its
    # explicit hints name, and never opens, reopens or reactivates one.
    is_automatic: bool = False
    author_id: int | None = None  # staff member who logged it (counter, phone)
    # The team a new ticket goes to (e.g. the mailbox's team); None = routing decides.
    team_id: int | None = None
    # A customer staff already identified (a store-counter lookup): used instead of the claims.
    customer_id: int | None = None
    # Staff said this is a new question: do not continue the customer's open ticket.
    new_ticket: bool = False


@dataclass(frozen=True)
class IngestResult:
    message_id: int
    ticket_id: int
    customer_id: int
    created: bool
    ticket_created: bool = False
    # The contact named a ticket of another customer; it opened a new ticket instead.
    foreign_ticket_id: int | None = None


class AutomaticWithoutTicket(Exception):
    """Automatic mail that names no ticket of its sender: nothing is stored by ingest()."""
