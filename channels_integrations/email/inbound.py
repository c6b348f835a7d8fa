"""The email adapter's inbound half: raw bytes -> kept raw -> InboundMessage -> ingest().

Every way mail reaches us (IMAP polling, ESP webhooks, the raw API, the ingest_email
command) calls `receive()` or `store()` + `process()`. The raw mail is stored first,
once per (mailbox address, Message-ID), so a redelivery or a second poller finds the
row and does nothing; then it is processed in one transaction with the row locked.
Nothing is dropped: mail we cannot parse or must not relay is quarantined with the
reason, automatic mail that answers no ticket is kept on the ignored list.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from channels_integrations.email import quoting
from channels_integrations.email.authenticity import staff_spoof_reason
from channels_integrations.email.autoreply import automatic_reason
from channels_integrations.email.dsn import bounces_in, is_delivery_report
from channels_integrations.email.models import InboundEmail, InboundState, Mailbox
from channels_integrations.email.parsing import (
    ParsedAttachment,
    ParsedEmail,
    UnparseableEmail,
    content_key,
    header_text,
    message_id_of,
    parse_email,
    recipients_of,
)
from channels_integrations.email.ratelimit import over_limit
from channels_integrations.email.tokens import ticket_id_from_address
from helpdesk.customers.identities import InvalidIdentity, normalise_email
from helpdesk.inbound.pipeline import ingest
from helpdesk.inbound.sanitise import safe_filename
from helpdesk.inbound.types import (
    AutomaticWithoutTicket,
    InboundAttachment,
    InboundMessage,
    SenderClaims,
    ThreadHints,
)

logger = logging.getLogger(__name__)

CHANNEL = "email"
_SUBJECT_TICKET = re.compile(r"\[#(\d{1,12})\]")


@dataclass
class Outcome:
    state: str
    reason: str = ""
    full_text: str = ""
    message_id: int | None = None
    ticket_id: int | None = None
    acknowledge: tuple[int, int, int] | None = None  # (ticket, message, mailbox)


def receive(
    raw: bytes, *, source: str, mailbox: Mailbox | None = None, envelope: Sequence[str] = ()
) -> InboundEmail:
    """Keep and process one raw message; the (possibly earlier) row that records it."""
    row = store(raw, source=source, mailbox=mailbox, envelope=envelope)
    return process(row.pk, raw=raw)


def store(
    raw: bytes, *, source: str, mailbox: Mailbox | None = None, envelope: Sequence[str] = ()
) -> InboundEmail:
    """Durably keep the raw mail, once per (account, Message-ID or content hash)."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    recipients = [address.lower() for address in envelope] + list(recipients_of(headers))
    matched = mailbox_for(recipients) or mailbox
    account = matched.address if matched else (_base_address(recipients[0]) if recipients else "")
    cap = settings.EMAIL_RAW_MAX_BYTES
    sender = header_text(headers, "From")
    row, _created = InboundEmail.objects.get_or_create(
        account=account[:254],
        external_id=(message_id_of(headers) or content_key(raw))[:255],
        defaults={
            "mailbox": matched,
            "source": source[:32],
            "envelope": [a.lower() for a in envelope][:50],
            "raw": raw[:cap],
            "raw_size": len(raw),
            "raw_truncated": len(raw) > cap,
            "sender": _sender_address(sender),
            "subject": " ".join(header_text(headers, "Subject").split())[:255],
        },
    )
    return row


def process(row_id: int, *, raw: bytes | None = None) -> InboundEmail:
    """Turn a kept mail into a ticket message, a bounce, an ignored or a quarantined mail.

    Idempotent: a row that was processed already is returned as it is. Database errors
    propagate (the row stays `received` and the caller retries); anything else wrong
    with the mail quarantines it with the error.
    """
    ack = None
    with transaction.atomic():
        row = InboundEmail.objects.select_for_update(of=("self",)).select_related("mailbox").get(pk=row_id)
        if row.state != InboundState.RECEIVED:
            return row
        row.attempts += 1
        try:
            with transaction.atomic():
                outcome = _decide(row, raw if raw is not None else bytes(row.raw))
        except DatabaseError:
            raise
        except Exception as exc:  # a bug or a mail we did not foresee: keep it, say why
            logger.exception("inbound email %s could not be processed", row.pk)
            outcome = Outcome(InboundState.QUARANTINED, f"could not be processed: {exc!r}")
        row.state, row.reason, row.full_text = outcome.state, outcome.reason[:5000], outcome.full_text
        row.message_id, row.ticket_id = outcome.message_id, outcome.ticket_id
        row.processed_at = timezone.now()
        row.save()
        ack = outcome.acknowledge
        if ack:
            transaction.on_commit(lambda: _acknowledge(*ack), robust=True)
    return row


def retry(row: InboundEmail) -> InboundEmail:
    """Process a quarantined (or ignored) mail again, e.g. after a fix or a settings change."""
    InboundEmail.objects.filter(pk=row.pk).update(state=InboundState.RECEIVED, reason="")
    return process(row.pk)


def mailbox_for(recipients: Sequence[str]) -> Mailbox | None:
    """The mailbox among the recipients (a `+token` tag is part of the same mailbox)."""
    bases = [_base_address(address) for address in recipients if address]
    if not bases:
        return None
    found = {box.address: box for box in Mailbox.objects.filter(address__in=bases).select_related("team")}
    return next((found[base] for base in bases if base in found), None)


# --------------------------------------------------------------------------- deciding


def _decide(row: InboundEmail, raw: bytes) -> Outcome:
    try:
        mail = parse_email(raw)
        sender = normalise_email(mail.from_address)
    except UnparseableEmail as exc:
        return Outcome(InboundState.QUARANTINED, f"cannot be parsed: {exc}")
    except InvalidIdentity as exc:
        return Outcome(InboundState.QUARANTINED, f"cannot be parsed: {exc}")
    full_text = mail.text
    spoof = staff_spoof_reason(mail)
    if spoof:
        return Outcome(InboundState.QUARANTINED, spoof, full_text)
    if is_delivery_report(mail):
        return _bounce(mail, full_text)
    if over_limit(row.sender or sender):
        return Outcome(
            InboundState.AUTOMATIC,
            f"rate limited: more than {settings.EMAIL_RATE_LIMIT_PER_SENDER} mails from {sender} "
            f"within {settings.EMAIL_RATE_LIMIT_WINDOW_SECONDS // 60} minutes",
            full_text,
        )
    automatic = automatic_reason(mail) or _own_mailbox_reason(sender)
    inbound = to_inbound_message(mail, row, sender=sender, is_automatic=bool(automatic))
    try:
        result = ingest(inbound)
    except AutomaticWithoutTicket:
        return Outcome(InboundState.AUTOMATIC, automatic, full_text)
    reason = f"automatic: {automatic}" if automatic else ""
    if result.foreign_ticket_id:
        reason = f"referenced ticket #{result.foreign_ticket_id} of another customer; opened a new ticket"
    outcome = Outcome(InboundState.INGESTED, reason, full_text, result.message_id, result.ticket_id)
    mailbox = row.mailbox
    if result.ticket_created and not automatic and mailbox is not None and mailbox.auto_acknowledge:
        outcome.acknowledge = (result.ticket_id, result.message_id, mailbox.pk)
    return outcome


def _bounce(mail: ParsedEmail, full_text: str) -> Outcome:
    from channels_integrations.email.bounces import record_bounce

    bounces = bounces_in(mail)
    for bounce in bounces:
        record_bounce(bounce.recipient, bounce.original_message_id, bounce.reason)
    summary = "; ".join(f"{b.recipient}: {b.reason}" for b in bounces)
    return Outcome(InboundState.BOUNCE, summary or "delivery report without failed recipients", full_text)


def _own_mailbox_reason(sender: str) -> str:
    if Mailbox.objects.filter(address=sender).exists():
        return f"sent from our own mailbox {sender} (a loop)"
    return ""


def _acknowledge(ticket_id: int, message_id: int, mailbox_id: int) -> None:
    from channels_integrations.email.outbound import acknowledge

    acknowledge(ticket_id, message_id, mailbox_id)


# --------------------------------------------------------------------------- mapping


def to_inbound_message(
    mail: ParsedEmail, row: InboundEmail, *, sender: str, is_automatic: bool = False
) -> InboundMessage:
    """The parsed mail as the core's InboundMessage: new text, kept HTML, thread hints."""
    text = quoting.new_text(mail.text)
    attachments, notes = _attachments(mail.attachments)
    if notes:
        text = (text + "\n\n" + "\n".join(notes)).strip()
    html = mail.html
    if not html and quoting.has_quote(mail.text, text):
        # Plain-text mail with quoted history: keep the whole of it one click away.
        html = "<p>" + html_lib.escape(mail.text).replace("\n", "<br>\n") + "</p>"
    subject_ref = _SUBJECT_TICKET.search(mail.subject)
    return InboundMessage(
        channel=CHANNEL,
        sender=SenderClaims(email=sender, name=mail.from_name),
        text=text,
        html=html,
        subject=mail.subject,
        external_id=row.external_id,
        account=row.account,
        thread=ThreadHints(
            ticket=_token_ticket(mail, row),
            in_reply_to=mail.in_reply_to,
            references=mail.references,
            subject_ticket=int(subject_ref.group(1)) if subject_ref else None,
        ),
        thread_id=mail.message_id or row.external_id,
        sent_at=mail.sent_at,
        attachments=attachments,
        is_automatic=is_automatic,
        team_id=row.mailbox.team_id if row.mailbox else None,
    )


def _token_ticket(mail: ParsedEmail, row: InboundEmail) -> int | None:
    for address in [*row.envelope, *mail.recipients]:
        ticket_id = ticket_id_from_address(address)
        if ticket_id is not None:
            return ticket_id
    return None


def _attachments(parts: Sequence[ParsedAttachment]) -> tuple[tuple[InboundAttachment, ...], list[str]]:
    """Within the limits; what does not fit is named in the text (the raw mail keeps it)."""
    kept: list[InboundAttachment] = []
    notes: list[str] = []
    for part in parts:
        name = safe_filename(part.filename, part.content_type)
        if not part.content:
            continue
        if len(part.content) > settings.MAX_ATTACHMENT_BYTES:
            notes.append(
                f"[Attachment {name} ({len(part.content)} bytes) not stored: larger than "
                f"{settings.MAX_ATTACHMENT_BYTES} bytes.]"
            )
            continue
        if len(kept) >= settings.MAX_ATTACHMENTS_PER_MESSAGE:
            notes.append(
                f"[Attachment {name} not stored: more than "
                f"{settings.MAX_ATTACHMENTS_PER_MESSAGE} attachments.]"
            )
            continue
        kept.append(
            InboundAttachment(
                filename=name,
                content_type=part.content_type,
                content=part.content,
                content_id=part.content_id,
            )
        )
    return tuple(kept), notes


def _base_address(address: str) -> str:
    """support+t12-ab@shop.example -> support@shop.example"""
    local, at, domain = address.strip().strip("<>").lower().rpartition("@")
    if not at:
        return address.lower()
    return f"{local.split('+', 1)[0]}@{domain}"


def _sender_address(from_header: str) -> str:
    from email.utils import getaddresses

    for _name, address in getaddresses([from_header]):
        if "@" in address:
            return Truncator(address.strip().lower()).chars(254)
    return ""
