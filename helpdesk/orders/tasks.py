"""Order tasks take ids; the notice service is idempotent, so retries are harmless."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from helpdesk.orders.notices import shipment_notice_open


@shared_task(autoretry_for=(OperationalError,), max_retries=5, retry_backoff=True, acks_late=True)
def open_shipment_notice(shipment_id: int, state: str) -> int | None:
    ticket = shipment_notice_open(shipment_id=shipment_id, state=state)
    return ticket.pk if ticket else None
