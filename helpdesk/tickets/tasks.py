"""Delivery of queued outbound messages. Takes ids; idempotent; retries with backoff.

Idempotency: the task claims the message before sending (helpdesk/tickets/delivery.py
explains the claim and what happens after a crash), so a duplicated, redelivered or
retried task never hands one message to the provider twice. A temporary failure
postpones the claim until the retry is due, so the sweeper does not start a second
retry chain beside it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from channels_integrations import registry
from helpdesk.tickets import delivery

if TYPE_CHECKING:
    from helpdesk.tickets.models import Message

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
BACKOFF_MAX_SECONDS = 3600
MIN_RETRY_SECONDS = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def deliver_message(self, message_id: int, after_attempt: int | None = None) -> str:
    from helpdesk.tickets.models import Message

    channel = Message.objects.filter(pk=message_id).values_list("channel", flat=True).first()
    if channel is None:
        return "skipped"
    adapter = registry.adapter_for(channel)
    if adapter is None:
        # No adapter for this channel yet: the message stays queued for when one exists.
        logger.info("message %s stays queued: no %s adapter", message_id, channel)
        return "queued"
    claim = delivery.message_claim(message_id=message_id, adapter=adapter, after_attempt=after_attempt)
    if claim.message is None:
        return claim.outcome
    try:
        provider_id = adapter.send(claim.message)
    except Exception as exc:  # the adapter's error says whether to retry
        return _after_failure(self, claim.message, exc)
    delivery.message_mark_sent(message_id=message_id, provider_message_id=provider_id)
    return "sent"


def _after_failure(task, message: Message, exc: Exception) -> str:
    message_id = message.pk
    if getattr(exc, "permanent", False):
        delivery.message_mark_failed(message_id=message_id, error=str(exc))
        return "failed"
    if task.request.retries >= task.max_retries:
        delivery.message_mark_failed(
            message_id=message_id, error=f"gave up after {task.request.retries + 1} attempts: {exc}"
        )
        return "failed"
    # Full jitter spreads retries after an outage; the floor keeps a retry that drew 0 s
    # from being due at once, i.e. claimable by any other task before it runs.
    countdown = max(MIN_RETRY_SECONDS, get_exponential_backoff_interval(
        factor=30, retries=task.request.retries, maximum=BACKOFF_MAX_SECONDS, full_jitter=True
    ))
    # The provider refused or was unreachable, so nothing went out: our retry (and only it,
    # until it is due) may claim the message again.
    delivery.message_postpone(message_id=message_id, retry_in_seconds=countdown)
    logger.info("message %s: temporary failure (%s); retry in %ss", message_id, exc, countdown)
    raise task.retry(
        exc=exc, countdown=countdown, kwargs={"after_attempt": message.delivery_attempts}
    ) from exc


@shared_task
def redeliver_stale_messages() -> int:
    """Periodic: re-queue replies whose task was lost or died mid-attempt (see delivery.py)."""
    channels = [name for name, spec in registry.CHANNELS.items() if spec.adapter]
    stale = delivery.stale_queued_messages(channels)
    for message_id in stale:
        deliver_message.delay(message_id)
    return len(stale)
