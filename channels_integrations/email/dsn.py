"""Delivery status notifications (RFC 3464): which of our mails bounced, to whom, and why.

A DSN is `multipart/report; report-type=delivery-status` with a machine-readable
`message/delivery-status` part (one block per recipient) and the returned message or
its headers, which carry the Message-ID of the mail we sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser

from channels_integrations.email.parsing import ParsedEmail, header_text, message_id_of, part_text


@dataclass(frozen=True)
class Bounce:
    recipient: str
    original_message_id: str
    reason: str


def is_delivery_report(mail: ParsedEmail) -> bool:
    message = mail.message
    return (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type") or "").lower() == "delivery-status"
    )


def bounces_in(mail: ParsedEmail) -> list[Bounce]:
    """The failed recipients of a delivery report (delays and successes are not bounces)."""
    status_blocks: list[Message] = []
    original_id = ""
    for part in mail.message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            status_blocks += _blocks(part)
        elif content_type in ("message/rfc822", "message/rfc822-headers", "text/rfc822-headers"):
            original_id = original_id or _returned_message_id(part)
    per_message = status_blocks[0] if status_blocks else None
    if per_message is not None:
        original_id = original_id or _bare(
            header_text(per_message, "Original-Message-ID")
            or header_text(per_message, "X-Original-Message-ID")
        )
    original_id = original_id or _bare(header_text(mail.message, "X-Original-Message-ID"))
    bounces = []
    for block in status_blocks:
        recipient = _address(
            header_text(block, "Final-Recipient") or header_text(block, "Original-Recipient")
        )
        action = header_text(block, "Action").strip().lower()
        if not recipient or action != "failed":
            continue
        status = header_text(block, "Status").strip()
        diagnostic = " ".join(header_text(block, "Diagnostic-Code").split())
        reason = "; ".join(item for item in (f"status {status}" if status else "", diagnostic) if item)
        bounces.append(Bounce(recipient, original_id, reason or "delivery failed"))
    return bounces


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    # Some servers send the status part as plain text: parse the blocks ourselves.
    text = part_text(part) if not isinstance(payload, str) else payload
    return [HeaderParser().parsestr(chunk.strip() + "\n") for chunk in text.split("\n\n") if chunk.strip()]


def _returned_message_id(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return message_id_of(payload[0])
    text = payload if isinstance(payload, str) else part_text(part)
    return message_id_of(HeaderParser().parsestr(text))


def _address(value: str) -> str:
    """`rfc822; anna@example.nl` -> anna@example.nl"""
    address = value.split(";", 1)[-1].strip().strip("<>").lower()
    return address if "@" in address else ""


def _bare(value: str) -> str:
    return value.strip().strip("<>")
