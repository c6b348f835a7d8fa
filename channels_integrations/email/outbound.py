"""Outbound email: which mailbox a reply leaves from, how it is composed and sent.

Everything that leaves by email (agent replies, acknowledgements, staff
notifications) is composed from the templates in templates/email/ and handed to
Django's configured email backend (SMTP or an anymail provider, from EMAIL_URL /
EMAIL_BACKEND) through `send()`, which turns every backend's failure into one error
that says whether retrying can help.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from channels_integrations.email.deliverability import is_suppressed
from channels_integrations.email.headers import AUTO_REPLIED, bracketed
from channels_integrations.email.tokens import reply_address
from helpdesk.tickets.models import Channel, Direction, Message, Ticket

# Prefixes mail clients put before a subject (English, Dutch, German, French).
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|antw|sv|fw|fwd|wg|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)
_REFERENCE = re.compile(r"\s*\[#\d+\]\s*")


class EmailDeliveryError(Exception):
    """Mail that could not be handed over; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Sender:
    address: str
    name: str = ""

    @property
    def formatted(self) -> str:
        return formataddr((self.name, self.address)) if self.name else self.address

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


def default_sender() -> Sender:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Sender(address or "service@localhost", name)


def sender_for(ticket_id: int, account: str = "") -> Sender:
    """The mailbox the ticket's latest inbound email came in on, else the default sender."""
    if not account:
        account = (
            Message.objects.filter(ticket_id=ticket_id, channel=Channel.EMAIL, direction=Direction.IN)
            .exclude(account="")
            .order_by("-sent_at", "-id")
            .values_list("account", flat=True)
            .first()
        ) or ""
    if not account:
        return default_sender()
    from channels_integrations.email.models import Mailbox

    mailbox = Mailbox.objects.filter(address__iexact=account).first()
    if mailbox is not None:
        return Sender(mailbox.address, mailbox.name)
    return Sender(account, default_sender().name)


def recipient_for(ticket: Ticket) -> str:
    """The address the customer last wrote from on this ticket, else their newest email identity."""
    sender = (
        Message.objects.filter(ticket_id=ticket.pk, channel=Channel.EMAIL, direction=Direction.IN)
        .exclude(sender="")
        .order_by("-sent_at", "-id")
        .values_list("sender", flat=True)
        .first()
    )
    address = parseaddr(sender or "")[1]
    if "@" in address:
        return address
    return (
        ticket.customer.identities.filter(kind="email")
        .order_by("-last_seen_at", "-created_at")
        .values_list("value", flat=True)
        .first()
    ) or ""


def ticket_reference(ticket_id: int) -> str:
    return f"[#{ticket_id}]"


def subject_line(text: str, limit: int = 255) -> str:
    """One line of text for a Subject header: newlines in a header are refused by Django
    (BadHeaderError) and would fail every mail on the ticket, so whitespace is collapsed."""
    return " ".join((text or "").split())[:limit]


def reply_subject(ticket: Ticket) -> str:
    """`Re: <subject> [#1234]`, without piling up prefixes or references."""
    base = subject_line(_REFERENCE.sub(" ", _REPLY_PREFIX.sub("", subject_line(ticket.subject))))
    base = base or "Your question"
    reference = ticket_reference(ticket.pk)
    # Shorten the subject, never the reference that threads the customer's answer.
    return f"Re: {base[:255 - len(reference) - 5].rstrip()} {reference}"


def compose(
    *,
    template: str,
    context: dict,
    subject: str,
    sender: str,
    to: list[str],
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """A text part and an HTML part rendered from templates/email/<template>.{txt,html}."""
    text = render_to_string(f"email/{template}.txt", context)
    html = render_to_string(f"email/{template}.html", context)
    email = EmailMultiAlternatives(
        subject=subject, body=text, from_email=sender, to=to, reply_to=reply_to or None,
        headers=headers or {},
    )
    email.attach_alternative(html, "text/html")
    return email


def build_reply(message: Message) -> EmailMultiAlternatives:
    """The email for a prepared outbound Message (see EmailAdapter.prepare)."""
    ticket = message.ticket
    sender = sender_for(ticket.pk, message.account)
    headers = {"Message-ID": bracketed(message.thread_id)}
    references = [bracketed(ref) for ref in message.references or [] if ref]
    if references:
        headers["In-Reply-To"] = references[-1]
        headers["References"] = " ".join(references)
    if message.is_automatic:
        headers.update(AUTO_REPLIED)
    context = {
        "message": message,
        "ticket": ticket,
        "text": message.text,
        "agent": message.author if not message.is_automatic else None,
        "sender_name": sender.name,
        "reference": ticket_reference(ticket.pk),
    }
    email = compose(
        template="reply",
        context=context,
        subject=reply_subject(ticket),
        sender=sender.formatted,
        to=[message.recipient],
        reply_to=[reply_address(sender.address, ticket.pk)],
        headers=headers,
    )
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    return email


def send(email: EmailMultiAlternatives) -> str | None:
    """Hand one email to the configured backend; the provider's message id if it gives one."""
    try:
        count = email.send(fail_silently=False)
    except Exception as exc:
        raise _classified(exc) from exc
    if not count:
        raise EmailDeliveryError("the mail backend accepted nothing (no recipients?)", permanent=True)
    status = getattr(email, "anymail_status", None)
    provider_id = getattr(status, "message_id", None)
    if isinstance(provider_id, set):
        provider_id = next(iter(provider_id)) if len(provider_id) == 1 else None
    return str(provider_id) if provider_id else None


def _classified(exc: Exception) -> EmailDeliveryError:
    """SMTP 5xx, provider refusals and malformed mail are permanent; 4xx, timeouts and
    outages are not."""
    from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items())
        return EmailDeliveryError(f"recipient refused: {detail}", permanent=all(c >= 500 for c in codes))
    if isinstance(exc, smtplib.SMTPResponseException):
        return EmailDeliveryError(
            f"mail server said {exc.smtp_code} {_text(exc.smtp_error)}", permanent=exc.smtp_code >= 500
        )
    if isinstance(exc, AnymailRecipientsRefused):
        return EmailDeliveryError(f"provider refused the recipient: {exc}", permanent=True)
    if isinstance(exc, AnymailAPIError):
        code = getattr(exc, "status_code", None)
        temporary = code is None or code >= 500 or code in (408, 429)
        return EmailDeliveryError(f"provider error: {exc}", permanent=not temporary)
    if isinstance(exc, AnymailError):
        return EmailDeliveryError(f"provider error: {exc}", permanent=True)
    if isinstance(exc, ValueError):
        # BadHeaderError, an address or header that cannot be encoded: the same mail
        # would be refused on every attempt.
        return EmailDeliveryError(f"the mail could not be composed: {exc}", permanent=True)
    # Connection refused or reset, timeouts, TLS trouble: the server may be back soon.
    return EmailDeliveryError(f"could not reach the mail server: {exc!r}", permanent=False)


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def acknowledge(ticket_id: int, message_id: int, mailbox_id: int) -> None:
    """Queue the automatic acknowledgement of a new ticket (at most one per ticket).

    Called after commit for a human's mail that opened a ticket on a mailbox with
    auto_acknowledge on. Never to an address that bounces or complained, never to a
    mailbox of our own (a loop).
    """
    from channels_integrations.email.models import Mailbox
    from helpdesk.tickets.services import ticket_add_automatic_reply

    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None or not mailbox.auto_acknowledge:
        return
    inbound = (
        Message.objects.filter(
            pk=message_id, ticket_id=ticket_id, channel=Channel.EMAIL, direction=Direction.IN
        ).first()
    )
    if inbound is None or inbound.is_automatic:
        return
    address = parseaddr(inbound.sender)[1].lower()
    if "@" not in address or is_suppressed(address):
        return
    if Mailbox.objects.filter(address__iexact=address).exists():
        return
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket_id)
        if _already_acknowledged(ticket_id):
            return
        text = render_to_string(
            "email/acknowledgement_body.txt",
            {"ticket": ticket, "reference": ticket_reference(ticket.pk), "sender_name": mailbox.name},
        ).strip()
        ticket_add_automatic_reply(
            ticket=ticket, channel=Channel.EMAIL, account=mailbox.address, recipient=address, text=text
        )


def _already_acknowledged(ticket_id: int) -> bool:
    """Any automatic email reply on the ticket counts as its acknowledgement."""
    return Message.objects.filter(
        ticket_id=ticket_id, channel=Channel.EMAIL, direction=Direction.OUT, is_automatic=True
    ).exists()
