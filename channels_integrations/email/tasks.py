"""Inbound email tasks: they take ids, hold no business logic, and are safe to repeat.

`poll_mailboxes` (Celery beat) fans out one `poll_mailbox` per due IMAP mailbox, so a
mailbox that hangs or fails never holds up the others. `process_inbound_email` handles
mail an ESP webhook stored; processing is idempotent (the row is locked and its state
checked), so a redelivered task does nothing.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from channels_integrations.email import imap, inbound
from channels_integrations.email.models import Mailbox


@shared_task(acks_late=True, ignore_result=True)
def poll_mailboxes() -> int:
    due = [box.pk for box in Mailbox.objects.exclude(imap_host="").filter(poll=True) if imap.is_due(box)]
    for mailbox_id in due:
        poll_mailbox.delay(mailbox_id)
    return len(due)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=3,
    autoretry_for=(DatabaseError,),
    retry_backoff=30,
    retry_backoff_max=600,
)
def poll_mailbox(self, mailbox_id: int) -> dict:
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None or not mailbox.polls_imap:
        return {"skipped": True}
    report = imap.poll(mailbox)
    return {
        "mailbox": report.mailbox,
        "fetched": report.fetched,
        "error": report.error,
        "skipped": report.skipped,
    }


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=8,
    autoretry_for=(DatabaseError,),
    retry_backoff=10,
    retry_backoff_max=3600,
)
def process_inbound_email(self, inbound_email_id: int) -> str:
    return inbound.process(inbound_email_id).state
