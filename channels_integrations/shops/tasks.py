"""Shop tasks take ids; the services they call are idempotent, so retries are harmless."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from channels_integrations.shops import receipts, services
from channels_integrations.shops.http import ShopApiError
from channels_integrations.shops.models import ShopConnection

_RETRY = {"autoretry_for": (OperationalError,), "max_retries": 5, "retry_backoff": True, "acks_late": True}


@shared_task(**_RETRY)
def process_delivery(delivery_id: int) -> str:
    return services.delivery_process(delivery_id)


@shared_task
def requeue_stuck_deliveries() -> int:
    """Beat: deliveries whose task was lost are queued again (processing is idempotent)."""
    return services.deliveries_requeue_stuck(older_than=settings.SHOP_DELIVERY_REQUEUE_AFTER)


@shared_task(bind=True, max_retries=5, acks_late=True)
def backfill_orders_task(self, connection_id: int) -> dict | None:
    connection = ShopConnection.objects.filter(pk=connection_id, is_active=True).first()
    if connection is None:
        return None
    try:
        return services.backfill(connection).as_dict()
    except ShopApiError as exc:
        if exc.permanent:
            raise
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc


@shared_task(acks_late=True)
def import_receipts_task(import_id: int) -> str:
    return receipts.import_run(import_id)


@shared_task
def requeue_stuck_receipt_imports() -> int:
    """Beat: imports whose task was lost or whose worker died run again (re-import is in place)."""
    return receipts.imports_requeue_stuck(older_than=settings.RECEIPT_IMPORT_CLAIM_AFTER)
