"""Delivery state of outbound messages: claim before sending, then move only forward.

Exactly-once towards the provider is impossible across a crash, so the rule is:
a delivery task first *claims* the queued message in its own committed transaction
(`delivery_claimed_at`), and only the holder of a live claim hands it to the
provider. A duplicated or retried task finds the claim and sends nothing. A task
that dies after the provider accepted the message but before `message_mark_sent`
leaves a claim that nobody finishes; once it is older than DELIVERY_CLAIM_SECONDS
the sweeper (`redeliver_stale_messages`) lets one task send it again, and the
channel adapter prepared everything that identifies the message (the email
Message-ID) before the first attempt, so the resend carries the same identity and
the receiving side can recognise the duplicate. A rare duplicate is preferred over
a customer reply that silently never leaves.

After a temporary failure the task schedules its own retry; the claim is then
*postponed* (`message_postpone`) to expire exactly when that retry is due, so the
sweeper leaves the message to it instead of starting a parallel retry chain every
sweep. The retry itself proves it is the planned one by naming the attempt it follows
(`after_attempt`): if nobody claimed the message since, it may take it at once.

Status moves are conditional updates that only go forward, so provider callbacks
arriving late or out of order never move a message back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from helpdesk import events
from helpdesk.realtime.groups import ticket_groups
from helpdesk.realtime.payloads import message_summary
from helpdesk.tickets.models import DeliveryStatus, Direction, Message

logger = logging.getLogger(__name__)

S = DeliveryStatus
# status -> the statuses a message may move to it from.
_EARLIER: dict[str, tuple[str, ...]] = {
    S.SENT: (S.QUEUED,),
    S.DELIVERED: (S.QUEUED, S.SENT),
    S.READ: (S.QUEUED, S.SENT, S.DELIVERED),
    # A receiving server may give a message back after the provider said "delivered".
    S.BOUNCED: (S.QUEUED, S.SENT, S.DELIVERED),
    S.FAILED: (S.QUEUED, S.SENT),
    S.COMPLAINED: (S.QUEUED, S.SENT, S.DELIVERED, S.READ),
}


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_CLAIM_SECONDS)


@dataclass
class Claim:
    """The outcome of trying to claim a message: `message` is set only when we hold it."""

    outcome: str
    message: Message | None = None
    resend: bool = False


def message_claim(*, message_id: int, adapter, after_attempt: int | None = None) -> Claim:
    """Claim a queued outbound message for one delivery attempt, preparing it on the adapter.

    `adapter.prepare(message)` (optional) fixes what must not change between attempts,
    such as the email Message-ID, and is saved with the claim before anything is sent.
    `after_attempt` is given by a task's planned retry: the attempt count its failed
    attempt left; while it still matches, the postponed claim is that retry's to take.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("ticket", "author")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.delivery_status != S.QUEUED:
            return Claim("skipped")  # already delivered, failed for good, or gone
        now = timezone.now()
        planned_retry = after_attempt is not None and message.delivery_attempts == after_attempt
        resend = message.delivery_claimed_at is not None and not planned_retry
        if resend and message.delivery_claimed_at > now - claim_lease():
            return Claim("busy")  # another task holds it, or its planned retry is not due yet
        if resend:
            logger.warning(
                "message %s: an earlier attempt never finished; sending again with the same identity",
                message_id,
            )
        message.delivery_claimed_at = now
        message.delivery_attempts += 1
        fields = ["delivery_claimed_at", "delivery_attempts"]
        prepare = getattr(adapter, "prepare", None)
        if prepare is not None:
            fields += prepare(message)
        message.save(update_fields=fields)
    return Claim("claimed", message, resend)


def message_postpone(*, message_id: int, retry_in_seconds: float) -> None:
    """After an attempt that certainly did not send: keep the claim until the retry is due.

    The claim is back-dated so that it expires (for the sweeper) when the task's own
    retry runs; only if that retry is lost does the sweeper send the message.
    """
    expires = timezone.now() + timedelta(seconds=retry_in_seconds) - claim_lease()
    Message.objects.filter(pk=message_id, delivery_status=S.QUEUED).update(delivery_claimed_at=expires)


def message_mark_sent(*, message_id: int, provider_message_id: str | None = None) -> bool:
    if provider_message_id:
        Message.objects.filter(pk=message_id).update(provider_message_id=provider_message_id[:255])
    return bool(message_advance(Message.objects.filter(pk=message_id), S.SENT))


def message_mark_failed(*, message_id: int, error: str, status: str = S.FAILED) -> bool:
    return bool(message_advance(Message.objects.filter(pk=message_id), status, error=error))


def message_advance(messages: QuerySet[Message], status: str, *, error: str = "") -> list[Message]:
    """Move messages that are behind `status` to it; publish message.status for each moved one."""
    with transaction.atomic():
        moved = list(
            messages.filter(delivery_status__in=_EARLIER[status])
            .select_for_update(of=("self",))
            .select_related("author", "ticket")
            .order_by("id")
        )
        if not moved:
            return []
        changes: dict = {"delivery_status": status}
        if error:
            changes["delivery_error"] = error[:2000]
        Message.objects.filter(pk__in=[m.pk for m in moved]).update(**changes)
        for message in moved:
            for name, value in changes.items():
                setattr(message, name, value)
            events.publish(
                events.MESSAGE_STATUS,
                ticket_id=message.ticket_id,
                payload={"object": message_summary(message)},
                groups=ticket_groups(message.ticket),
            )
    return moved


def stale_queued_messages(channels: list[str], *, limit: int = 500) -> list[int]:
    """Queued replies whose task was lost (never claimed, or claimed and never finished)."""
    cutoff = timezone.now() - claim_lease()
    return list(
        Message.objects.filter(
            direction=Direction.OUT, delivery_status=S.QUEUED, channel__in=channels
        )
        .filter(
            Q(delivery_claimed_at__lt=cutoff) | Q(delivery_claimed_at__isnull=True, created_at__lt=cutoff)
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
