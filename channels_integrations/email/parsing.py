"""Raw RFC 5322 bytes -> a typed ParsedEmail, surviving what real mail servers send.

Real mail lies about its charset, leaves it out, puts raw 8-bit bytes in headers and
mangles encoded-words. Every text here is decoded through one fallback chain
(declared charset, UTF-8, cp1252, then latin-1 with replacement) so a message is
never dropped for its encoding; only mail without any headers or without a sender
address counts as unparseable (and goes to the quarantine, raw).
"""

from __future__ import annotations

import codecs
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

# Declared charsets that mail clients get wrong most often: bytes that are valid
# UTF-8 in a part declared as one of these are UTF-8 (valid multi-byte UTF-8 is
# practically never an accident in a Western single-byte text).
_WEAK_CHARSETS = {
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "iso-8859-15",
    "windows-1252",
    "cp1252",
}
_FALLBACKS = ("utf-8", "cp1252")
_RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


class UnparseableEmail(ValueError):
    """The bytes are not a mail we can attribute to a sender; kept raw in the quarantine."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""


@dataclass(frozen=True)
class ParsedEmail:
    message: Message
    message_id: str
    from_address: str
    from_name: str
    recipients: tuple[str, ...]
    subject: str
    sent_at: datetime | None
    in_reply_to: str
    references: tuple[str, ...]
    text: str
    html: str
    attachments: tuple[ParsedAttachment, ...] = field(default_factory=tuple)

    def header(self, name: str) -> str:
        return header_text(self.message, name)

    def headers(self, name: str) -> list[str]:
        return header_texts(self.message, name)


def parse_message(raw: bytes) -> Message:
    return BytesParser(policy=policy.default).parsebytes(raw)


def parse_email(raw: bytes) -> ParsedEmail:
    message = parse_message(raw)
    if not list(message.keys()):
        raise UnparseableEmail("no mail headers found: this is not an email message")
    from_name, from_address = _first_address(header_text(message, "From"))
    if not from_address:
        from_name, from_address = _first_address(
            header_text(message, "Sender") or header_text(message, "Return-Path")
        )
    if not from_address:
        raise UnparseableEmail(f"no sender address (From: {header_text(message, 'From')[:200]!r})")
    text_parts, html_parts, attachments = [], [], []
    _collect(message, text_parts, html_parts, attachments)
    html = "\n".join(html_parts)
    text = "\n\n".join(part.strip("\n") for part in text_parts) or html_to_text(html)
    return ParsedEmail(
        message=message,
        message_id=message_id_of(message),
        from_address=from_address,
        from_name=from_name,
        recipients=recipients_of(message),
        subject=" ".join(header_text(message, "Subject").split())[:255],
        sent_at=_date(header_text(message, "Date")),
        in_reply_to=(_ids(header_text(message, "In-Reply-To")) or ("",))[-1],
        references=_ids(header_text(message, "References")),
        text=text.replace("\r\n", "\n"),
        html=html,
        attachments=tuple(attachments),
    )


# --------------------------------------------------------------------------- headers


def header_texts(message: Message, name: str) -> list[str]:
    """Every value of a header, decoded (RFC 2047, 8-bit bytes), never raising."""
    values = []
    for raw_name, raw_value in message.raw_items():
        if raw_name.lower() != name.lower():
            continue
        values.append(_decode_header(raw_value))
    return values


def header_text(message: Message, name: str) -> str:
    values = header_texts(message, name)
    return values[0] if values else ""


def _decode_header(raw_value: str) -> str:
    # Raw 8-bit header bytes reach us as surrogate escapes: decode them properly first.
    if any("\udc80" <= ch <= "\udcff" for ch in raw_value):
        raw_value = decode_bytes(raw_value.encode("utf-8", "surrogateescape"), "")
    unfolded = re.sub(r"\r?\n[ \t]+", " ", raw_value).strip()
    if "=?" not in unfolded:
        return unfolded
    try:
        parts = decode_header(unfolded)
        return str(make_header([(_as_bytes(chunk), _known(charset)) for chunk, charset in parts]))
    except (LookupError, UnicodeError, ValueError, AssertionError):
        pass
    # Broken encoded-words: decode each one that can be, keep the rest as it stands.
    return re.sub(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", _one_word, unfolded)


def _one_word(match: re.Match) -> str:
    try:
        ((chunk, charset),) = decode_header(match.group(0))
        return decode_bytes(_as_bytes(chunk), charset or "")
    except (ValueError, LookupError, UnicodeError, AssertionError):
        return match.group(0)


def _as_bytes(chunk) -> bytes:
    return chunk if isinstance(chunk, bytes) else chunk.encode("utf-8", "surrogateescape")


def _known(charset: str | None) -> str | None:
    """A charset Python knows, else UTF-8 (decode_header names whatever the mail said)."""
    if not charset:
        return None
    try:
        codecs.lookup(charset)
        return charset
    except LookupError:
        return "utf-8"


def _first_address(value: str) -> tuple[str, str]:
    for name, address in getaddresses([value]):
        address = address.strip().strip("<>").lower()
        if "@" in address and " " not in address:
            return " ".join(name.split())[:120], address
    return "", ""


def addresses_in(value: str) -> list[str]:
    return [addr.strip().lower() for _name, addr in getaddresses([value]) if "@" in addr]


def recipients_of(message: Message) -> tuple[str, ...]:
    seen: list[str] = []
    for name in _RECIPIENT_HEADERS:
        for value in header_texts(message, name):
            for address in addresses_in(value):
                if address not in seen:
                    seen.append(address)
    return tuple(seen)


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(value: str) -> tuple[str, ...]:
    found = _ID.findall(value or "")
    if not found and value.strip() and " " not in value.strip():
        found = [value.strip()]
    return tuple(item[:255] for item in found)


def message_id_of(message: Message) -> str:
    ids = _ids(header_text(message, "Message-ID"))
    return ids[0] if ids else ""


def content_key(raw: bytes) -> str:
    """The stand-in for a missing Message-ID: the same bytes give the same key."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else None


# --------------------------------------------------------------------------- bodies


def decode_bytes(payload: bytes, declared: str) -> str:
    """Declared charset, UTF-8, cp1252, then latin-1 with replacement: never raises."""
    declared = (declared or "").strip().strip('"').lower()
    order: list[str] = []
    if declared in _WEAK_CHARSETS:
        order.append("utf-8")
    if declared:
        order.append(declared)
    order += [name for name in _FALLBACKS if name not in order]
    for name in order:
        try:
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1", errors="replace")


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    try:
        declared = part.get_param("charset") or ""
    except Exception:  # a mangled Content-Type header
        declared = ""
    if isinstance(declared, tuple):  # RFC 2231 form
        declared = declared[2] if len(declared) > 2 else ""
    return decode_bytes(payload, str(declared))


def _is_attachment(part: Message) -> bool:
    disposition = header_text(part, "Content-Disposition").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    try:
        named = bool(part.get_filename())
    except Exception:  # a mangled Content-Disposition or Content-Type header
        named = False
    return named and part.get_content_maintype() != "text"


def _collect(part: Message, text_parts: list, html_parts: list, attachments: list) -> None:
    """Walk the MIME tree in order; alternatives give their best text and HTML once."""
    content_type = part.get_content_type()
    if part.is_multipart() and content_type != "message/rfc822":
        children = part.get_payload()
        if content_type == "multipart/alternative":
            _collect_alternative(children, text_parts, html_parts, attachments)
            return
        for child in children:
            _collect(child, text_parts, html_parts, attachments)
        return
    if not _is_attachment(part) and content_type == "text/plain":
        text_parts.append(part_text(part))
    elif not _is_attachment(part) and content_type == "text/html":
        html_parts.append(part_text(part))
    else:
        attachments.append(_attachment(part))


def _collect_alternative(children, text_parts, html_parts, attachments) -> None:
    texts, htmls = [], []
    for child in children:
        _collect(child, texts, htmls, attachments)
    if texts:
        text_parts.append(texts[0])
    if htmls:
        html_parts.append(htmls[-1])
    if htmls and not texts:
        text_parts.append(html_to_text(htmls[-1]))


def _attachment(part: Message) -> ParsedAttachment:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        content = inner.as_bytes(policy=policy.SMTP) if isinstance(inner, Message) else b""
    else:
        content = part.get_payload(decode=True) or b""
    try:
        filename = part.get_filename() or ""
    except Exception:
        filename = ""
    if content_type == "message/rfc822" and not filename:
        filename = "forwarded-message.eml"
    cid = _ids(header_text(part, "Content-ID"))
    return ParsedAttachment(
        filename=_decode_header(filename) if filename else "",
        content_type=content_type,
        content=content,
        content_id=cid[0] if cid else "",
    )


_DROP_BLOCKS = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>", re.I | re.S)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/h[1-6]|/li|/blockquote|hr)\b[^>]*>", re.I)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def html_to_text(html: str) -> str:
    """Readable text from an HTML-only mail, for the ticket and for quote folding."""
    if not html:
        return ""
    text = _DROP_BLOCKS.sub("", html)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = _LIST_ITEM.sub("\n- ", _BREAKS.sub("\n", text))
    text = html_lib.unescape(_TAGS.sub("", text))
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
