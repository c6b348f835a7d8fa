"""Delivery of queued outbound messages. Takes ids; idempotent; retries with backoff."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from channels_integrations import registry
from helpdesk.tickets.models import DeliveryStatus, Message

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, acks_late=True, max_retries=8, retry_backoff=True, retry_backoff_max=3600,
)
def deliver_message(self, message_id: int) -> str:
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivery_status != DeliveryStatus.QUEUED:
            return "skipped"  # already delivered, failed for good, or gone
        adapter = registry.adapter_for(message.channel)
        if adapter is None:
            # No adapter for this channel yet: the message stays queued for when one exists.
            logger.info("message %s stays queued: no %s adapter", message_id, message.channel)
            return "queued"
    try:
        adapter.send(message)
    except Exception as exc:  # the adapter's error says whether to retry
        if getattr(exc, "permanent", False):
            Message.objects.filter(pk=message_id).update(
                delivery_status=DeliveryStatus.FAILED, delivery_error=str(exc)[:2000]
            )
            return "failed"
        raise self.retry(exc=exc) from exc
    return "sent"
