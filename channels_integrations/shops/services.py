"""Webhook deliveries and backfills of shop connections, handed to the core order services."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import ModuleType

import httpx
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from channels_integrations.shops import shopify, woocommerce
from channels_integrations.shops.http import Sleep
from channels_integrations.shops.models import (
    DeliveryStatus,
    ShopConnection,
    ShopKind,
    WebhookDelivery,
)
from channels_integrations.shops.parsing import (
    Ignored,
    Parsed,
    PayloadError,
    ReturnUpdate,
    ShipmentUpdate,
)
from helpdesk.orders.models import Order
from helpdesk.orders.services import OrderData, is_stale, order_upsert, return_upsert, shipment_upsert

logger = logging.getLogger(__name__)

# Deliveries re-queued per sweep; the next sweep takes the rest.
_REQUEUE_BATCH = 500

ADAPTERS: dict[str, ModuleType] = {ShopKind.SHOPIFY: shopify, ShopKind.WOOCOMMERCE: woocommerce}


def adapter_for(connection: ShopConnection) -> ModuleType:
    return ADAPTERS[connection.kind]


def webhook_receive(
    *, connection: ShopConnection, topic: str, delivery_id: str | None, body: str
) -> tuple[WebhookDelivery, bool]:
    """Store a verified body durably and queue it; a repeated delivery id is a no-op."""
    from channels_integrations.shops.tasks import process_delivery

    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                connection=connection,
                topic=topic[:64],
                delivery_id=(delivery_id or None) and delivery_id[:128],
                body=body,
            )
    except IntegrityError:
        existing = WebhookDelivery.objects.get(connection=connection, delivery_id=delivery_id[:128])
        if existing.status == DeliveryStatus.RECEIVED:
            # The first attempt's queueing may have failed after its commit (broker down):
            # the shop's retry is our chance to queue it again; processing twice is a no-op.
            process_delivery.delay_on_commit(existing.pk)
        return existing, False
    process_delivery.delay_on_commit(delivery.pk)
    return delivery, True


def deliveries_requeue_stuck(*, older_than: timedelta) -> int:
    """Queue again every delivery still 'received' after `older_than` (its task was lost:
    broker down after commit, worker killed); returns how many were queued."""
    from channels_integrations.shops.tasks import process_delivery

    cutoff = timezone.now() - older_than
    stuck = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.RECEIVED, received_at__lt=cutoff)
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:_REQUEUE_BATCH]
    )
    for pk in stuck:
        process_delivery.delay_on_commit(pk)
    if stuck:
        logger.warning("re-queued %d webhook deliveries stuck in 'received'", len(stuck))
    return len(stuck)


def delivery_process(delivery_id: int) -> str:
    """Apply one stored delivery; returns its new status. Safe to run twice."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("connection")
            .filter(pk=delivery_id, status__in=[DeliveryStatus.RECEIVED, DeliveryStatus.WAITING])
            .first()
        )
        if delivery is None:
            return "skipped"
        connection = delivery.connection
        parsed, status, order_external_id, delivery.error = _parse_and_apply(delivery)
        delivery.status, delivery.order_external_id = status, order_external_id
        delivery.processed_at = timezone.now()
        delivery.save(update_fields=["status", "order_external_id", "error", "processed_at"])
    if isinstance(parsed, OrderData) and status == DeliveryStatus.PROCESSED:
        replay_waiting(connection, parsed.external_id)
    elif status == DeliveryStatus.WAITING and _order_exists(connection, order_external_id):
        # The order's delivery may have committed and replayed the waiting ones between our
        # look for the order and our commit: whichever side commits second sees the other.
        return delivery_process(delivery_id)
    return status


def _parse_and_apply(delivery: WebhookDelivery) -> tuple[Parsed | None, str, str, str]:
    """(parsed, status, order external id, error). Any failure marks the delivery failed with
    its reason instead of leaving it 'received': its writes are rolled back to a savepoint."""
    connection = delivery.connection
    parsed: Parsed | None = None
    try:
        with transaction.atomic():
            parsed = adapter_for(connection).parse(
                delivery.topic,
                json.loads(delivery.body),
                source=connection.order_source,
                proactive_notices=connection.proactive_notices,
            )
            status, order_external_id = apply(parsed, connection)
    except OperationalError:
        raise  # a lost connection or a deadlock: the task retries, else the sweeper does
    except PayloadError as exc:
        logger.warning("webhook delivery %s of %s not readable: %s", delivery.pk, connection.slug, exc)
        return parsed, DeliveryStatus.FAILED, "", _error_text(exc)
    except Exception as exc:
        logger.exception("webhook delivery %s of %s failed", delivery.pk, connection.slug)
        return parsed, DeliveryStatus.FAILED, "", _error_text(exc)
    if isinstance(parsed, Ignored):
        logger.info("webhook delivery %s ignored: %s", delivery.pk, parsed.reason)
        return parsed, status, order_external_id, parsed.reason
    return parsed, status, order_external_id, ""


def _error_text(exc: Exception) -> str:
    text = str(exc) if isinstance(exc, PayloadError) else f"{type(exc).__name__}: {exc}"
    # PostgreSQL text cannot hold NUL, and the reason may quote the very value that had one.
    return text.replace("\x00", "\\x00")[:2000]


def _order_exists(connection: ShopConnection, order_external_id: str) -> bool:
    return Order.objects.filter(source=connection.order_source, external_id=order_external_id).exists()


def apply(parsed: Parsed, connection: ShopConnection) -> tuple[str, str]:
    """Hand a parsed payload to the core; returns (delivery status, order external id)."""
    if isinstance(parsed, Ignored):
        return DeliveryStatus.IGNORED, ""
    if isinstance(parsed, OrderData):
        current = (
            Order.objects.filter(source=parsed.source, external_id=parsed.external_id)
            .values_list("source_updated_at", flat=True)
            .first()
        )
        if is_stale(current, parsed.updated_at):
            return DeliveryStatus.STALE, parsed.external_id
        order_upsert(parsed)
        return DeliveryStatus.PROCESSED, parsed.external_id
    if isinstance(parsed, ShipmentUpdate):
        found = shipment_upsert(
            source=connection.order_source,
            order_external_id=parsed.order_external_id,
            data=parsed.shipment,
            proactive_notices=connection.proactive_notices,
        )
        return (DeliveryStatus.PROCESSED if found else DeliveryStatus.WAITING), parsed.order_external_id
    if isinstance(parsed, ReturnUpdate):
        found = return_upsert(
            source=connection.order_source, order_external_id=parsed.order_external_id, data=parsed.refund
        )
        return (DeliveryStatus.PROCESSED if found else DeliveryStatus.WAITING), parsed.order_external_id
    raise TypeError(f"unknown parsed payload {parsed!r}")


def replay_waiting(connection: ShopConnection, order_external_id: str) -> None:
    """A fulfillment or refund that came before its order is applied once the order is here."""
    waiting = (
        WebhookDelivery.objects.filter(
            connection=connection, status=DeliveryStatus.WAITING, order_external_id=order_external_id
        )
        .order_by("received_at", "id")
        .values_list("pk", flat=True)
    )
    for pk in list(waiting):
        delivery_process(pk)


@dataclass
class BackfillResult:
    fetched: int = 0
    written: int = 0
    stale: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def backfill(
    connection: ShopConnection,
    *,
    since: datetime | None = None,
    http: httpx.Client | None = None,
    sleep: Sleep = time.sleep,
    progress=None,
) -> BackfillResult:
    """Read every order (or those changed since) through the shop's API; webhooks that are
    newer win, because each order carries the shop's own version."""
    adapter = adapter_for(connection)
    result = BackfillResult()
    started = timezone.now()
    for payload in adapter.Client(connection, http=http, sleep=sleep).orders(since=since):
        result.fetched += 1
        try:
            with transaction.atomic():
                # History is not news: a shipment delayed last month opens no ticket today.
                parsed = adapter.parse_order(payload, source=connection.order_source, proactive_notices=False)
                status, external_id = apply(parsed, connection)
        except OperationalError:
            raise
        except Exception as exc:
            # One order we cannot read or the database refuses must not stop the others.
            logger.warning("backfill %s: order skipped: %s", connection.slug, _error_text(exc))
            result.failed += 1
            continue
        if status == DeliveryStatus.STALE:
            result.stale += 1
        else:
            result.written += 1
            replay_waiting(connection, external_id)
        if progress:
            progress(result)
    ShopConnection.objects.filter(pk=connection.pk).update(last_backfill_at=started)
    return result
