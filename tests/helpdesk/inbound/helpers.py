from __future__ import annotations

from datetime import datetime

from helpdesk.inbound.pipeline import ingest
from helpdesk.inbound.types import InboundMessage, IngestResult, SenderClaims, ThreadHints

_counter = iter(range(1, 10**9))


def contact(
    channel: str = "email",
    *,
    email: str = "",
    phone: str = "",
    handle: str = "",
    name: str = "",
    text: str = "Hallo",
    subject: str = "",
    ticket: int | None = None,
    in_reply_to: str = "",
    conversation: str = "",
    external_id: str | None = None,
    store_id: int | None = None,
    sent_at: datetime | None = None,
) -> IngestResult:
    """One inbound contact through the real ingest() with normalised claims."""
    return ingest(
        InboundMessage(
            channel=channel,
            external_id=external_id or f"ext-{next(_counter)}",
            sender=SenderClaims(email=email, phone=phone, handle=handle, name=name),
            text=text,
            subject=subject,
            store_id=store_id,
            sent_at=sent_at,
            thread=ThreadHints(ticket=ticket, in_reply_to=in_reply_to, conversation=conversation),
        )
    )
