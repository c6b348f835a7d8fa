"""Email notifications to staff: a ticket was handed to you, a reply of yours bounced.

Sent by Celery tasks through the same compose/send functions as customer mail, marked
Auto-Submitted: auto-generated so nobody's autoresponder answers them. Never to an
address that bounces or complained.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from channels_integrations.email import outbound
from channels_integrations.email.deliverability import is_suppressed
from channels_integrations.email.headers import AUTO_GENERATED

logger = logging.getLogger(__name__)


def queue_owner_assigned(*, ticket_id: int, owner_id: int, actor_id: int | None) -> None:
    """After commit: tell the new owner, unless they took the ticket themselves."""
    if not settings.NOTIFY_OWNER_BY_EMAIL or owner_id == actor_id:
        return
    # robust: a broker outage loses the notification, never the committed handover.
    transaction.on_commit(lambda: notify_owner_assigned.delay(ticket_id, owner_id, actor_id), robust=True)


def queue_owner_bounce(*, message_id: int) -> None:
    if settings.NOTIFY_OWNER_BY_EMAIL:
        transaction.on_commit(lambda: notify_owner_bounce.delay(message_id), robust=True)


def _ticket_url(ticket_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("web:ticket", args=[ticket_id])


def _send(task, *, user, template: str, subject: str, context: dict) -> str:
    address = (user.email or "").strip() if user else ""
    if not address or not user.is_active:
        return "no address"
    if is_suppressed(address):
        logger.info("not notifying %s: the address bounces", address)
        return "suppressed"
    email = outbound.compose(
        template=template,
        context={**context, "user": user},
        subject=subject,
        sender=outbound.default_sender().formatted,
        to=[address],
        headers=dict(AUTO_GENERATED),
    )
    try:
        outbound.send(email)
    except outbound.EmailDeliveryError as exc:
        if exc.permanent or task.request.retries >= task.max_retries:
            logger.warning("notification to %s failed: %s", address, exc)
            return "failed"
        countdown = get_exponential_backoff_interval(
            factor=30, retries=task.request.retries, maximum=3600, full_jitter=True
        )
        raise task.retry(exc=exc, countdown=countdown) from exc
    return "sent"


@shared_task(bind=True, acks_late=True, max_retries=5)
def notify_owner_assigned(self, ticket_id: int, owner_id: int, actor_id: int | None = None) -> str:
    from agents.models import User
    from helpdesk.tickets.models import Ticket

    ticket = Ticket.objects.select_related("customer", "owner").filter(pk=ticket_id).first()
    if ticket is None or ticket.owner_id != owner_id:
        return "stale"  # handed on again before we got to it: the newer handover notifies
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return _send(
        self,
        user=ticket.owner,
        template="notification_assigned",
        subject=outbound.subject_line(
            f"{outbound.ticket_reference(ticket.pk)} handed to you: {ticket.subject or 'a ticket'}"
        ),
        context={"ticket": ticket, "actor": actor, "url": _ticket_url(ticket.pk)},
    )


@shared_task(bind=True, acks_late=True, max_retries=5)
def notify_owner_bounce(self, message_id: int) -> str:
    from helpdesk.tickets.models import Message

    message = (
        Message.objects.select_related("ticket__owner", "ticket__customer").filter(pk=message_id).first()
    )
    if message is None or message.ticket.owner is None:
        return "no owner"
    ticket = message.ticket
    return _send(
        self,
        user=ticket.owner,
        template="notification_bounce",
        subject=outbound.subject_line(
            f"{outbound.ticket_reference(ticket.pk)} reply not delivered to {message.recipient}"
        ),
        context={"ticket": ticket, "message": message, "url": _ticket_url(ticket.pk)},
    )
