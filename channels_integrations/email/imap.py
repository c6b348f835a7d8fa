"""Polling one IMAP mailbox: read what is new exactly once, then flag or move it.

Where we stand is (UIDVALIDITY, last UID). UIDs only mean something within one
UIDVALIDITY: when the server changes it (mailbox recreated, server migrated) we read
the folder again from the start, and the store's (mailbox, Message-ID) key makes the
mail already taken in a no-op. Each message is kept and processed before its UID is
recorded, so a crash in between re-reads it (harmlessly) instead of skipping it.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone
from imapclient import IMAPClient

from channels_integrations.email import inbound
from channels_integrations.email.models import AfterProcessing, ImapSecurity, Mailbox

logger = logging.getLogger(__name__)

PROCESSED_KEYWORD = "$HelpdeskProcessed"
_LOCK_SECONDS = 15 * 60


@dataclass
class PollReport:
    mailbox: str
    fetched: int = 0
    uidvalidity_changed: bool = False
    skipped: bool = False
    error: str = ""


def poll(mailbox: Mailbox) -> PollReport:
    """Poll one mailbox; a failure is recorded on it (with backoff) and never raised,
    except database errors, which the task retries."""
    report = PollReport(mailbox.address)
    lock = f"email:imap-poll:{mailbox.pk}"
    if not cache.add(lock, "1", _LOCK_SECONDS):
        report.skipped = True  # another worker is polling it right now
        return report
    try:
        _poll(mailbox, report)
    except DatabaseError:
        raise
    except Exception as exc:  # bad password, server down, TLS, protocol trouble
        report.error = _describe(exc)
        _failed(mailbox, report.error)
    else:
        _succeeded(mailbox)
    finally:
        cache.delete(lock)
    return report


def is_due(mailbox: Mailbox, now=None) -> bool:
    if not mailbox.polls_imap:
        return False
    return mailbox.next_poll_at is None or mailbox.next_poll_at <= (now or timezone.now())


def connect(mailbox: Mailbox) -> IMAPClient:
    security = mailbox.imap_security
    context = ssl.create_default_context()
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=security == ImapSecurity.SSL,
        ssl_context=context if security == ImapSecurity.SSL else None,
        timeout=settings.IMAP_TIMEOUT,
    )
    if security == ImapSecurity.STARTTLS:
        client.starttls(context)
    return client


def _poll(mailbox: Mailbox, report: PollReport) -> None:
    password = mailbox.imap_password()
    client = connect(mailbox)
    try:
        client.login(mailbox.imap_user or mailbox.address, password)
        folder = client.select_folder(mailbox.imap_folder)
        uidvalidity = int(folder[b"UIDVALIDITY"])
        if mailbox.uidvalidity != uidvalidity:
            report.uidvalidity_changed = mailbox.uidvalidity is not None
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
            Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
        criteria = ["UID", f"{mailbox.last_uid + 1}:*"]
        if mailbox.after_processing == AfterProcessing.FLAG:
            criteria += ["UNKEYWORD", PROCESSED_KEYWORD]
        # "n:*" always matches the newest message, even when its UID is below n.
        uids = sorted(uid for uid in client.search(criteria) if uid > mailbox.last_uid)
        for start in range(0, len(uids), settings.IMAP_BATCH):
            batch = uids[start : start + settings.IMAP_BATCH]
            fetched = client.fetch(batch, ["BODY.PEEK[]"])
            for uid in batch:
                data = fetched.get(uid)
                if data is None:
                    continue  # expunged meanwhile
                inbound.receive(bytes(data[b"BODY[]"]), source="imap", mailbox=mailbox)
                report.fetched += 1
                _done(client, mailbox, uid)
        moved = mailbox.after_processing == AfterProcessing.MOVE and report.fetched
        if moved and not client.has_capability("MOVE"):
            client.expunge()
    finally:
        with contextlib.suppress(Exception):  # the connection may be gone already
            client.logout()


def _done(client: IMAPClient, mailbox: Mailbox, uid: int) -> None:
    """Mark one processed message on the server, then remember its UID."""
    if mailbox.after_processing == AfterProcessing.MOVE:
        target = mailbox.processed_folder or "Processed"
        if not client.folder_exists(target):
            client.create_folder(target)
        if client.has_capability("MOVE"):
            client.move([uid], target)
        else:
            client.copy([uid], target)
            client.delete_messages([uid])
    else:
        client.add_flags([uid], [b"\\Seen", PROCESSED_KEYWORD.encode()])
    mailbox.last_uid = uid
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)


def _succeeded(mailbox: Mailbox) -> None:
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=now, last_success_at=now, last_error="", failures=0, next_poll_at=None
    )


def _failed(mailbox: Mailbox, error: str) -> None:
    """Back off: 1, 2, 4 … minutes up to IMAP_MAX_BACKOFF_SECONDS; the others go on."""
    failures = mailbox.failures + 1
    delay = min(60 * 2 ** (failures - 1), settings.IMAP_MAX_BACKOFF_SECONDS)
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=now, last_error=error, failures=failures, next_poll_at=now + timedelta(seconds=delay)
    )
    logger.warning("mailbox %s: %s (attempt %d, next in %ds)", mailbox.address, error, failures, delay)


def _describe(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, bytes):
        text = exc.decode(errors="replace")
    name = type(exc).__name__
    if "AUTHENTICATIONFAILED" in text.upper() or name == "LoginError":
        return f"login refused by the IMAP server: {text}"
    if isinstance(exc, LookupError):
        return f"no password: {text}"
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return f"cannot reach the IMAP server: {name}: {text}"
    return f"{name}: {text}"
