"""Order upsert by (source, external id): the latest payload is the order's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk.customers.models import Customer
from helpdesk.customers.services import claims_from, customer_resolve
from helpdesk.orders.models import Order, OrderLine, Return, Shipment
from helpdesk.orders.tracking import TROUBLE, normalise_tracking
from helpdesk.timeline import entries


@dataclass(frozen=True)
class LineData:
    title: str
    sku: str = ""
    quantity: int = 1
    price: Decimal = Decimal("0")


@dataclass(frozen=True)
class ShipmentData:
    carrier: str = ""
    tracking_number: str = ""
    # As the source or carrier wrote it; normalised on write (helpdesk.orders.tracking).
    status: str = "pending"
    # The source's time of this status: an older one never overwrites a newer one.
    updated_at: datetime | None = None
    external_id: str = ""


@dataclass(frozen=True)
class ReturnData:
    status: str = "requested"
    reason: str = ""
    lines: tuple[str, ...] = ()
    refunded: Decimal = Decimal("0")
    external_id: str = ""


@dataclass(frozen=True)
class OrderData:
    source: str
    external_id: str
    number: str
    placed_at: datetime
    status: str = "placed"
    email: str = ""  # normalised
    phone: str = ""  # normalised E.164
    postcode: str | None = None
    customer_id: int | None = None
    customer_name: str = ""
    store_id: int | None = None
    total: Decimal = Decimal("0")
    currency: str = "EUR"
    lines: tuple[LineData, ...] = field(default_factory=tuple)
    shipments: tuple[ShipmentData, ...] = field(default_factory=tuple)
    returns: tuple[ReturnData, ...] = field(default_factory=tuple)
    # The source's last-modified time, the order's version (None: the latest payload wins).
    updated_at: datetime | None = None
    # Open a proactive ticket when a shipment turns troubled; None: the global setting.
    proactive_notices: bool | None = None


def is_stale(current: datetime | None, incoming: datetime | None) -> bool:
    """An incoming version no newer than the stored one changes nothing (late or repeated)."""
    # Strictly older only: Shopify stamps whole seconds, so two changes within one second
    # carry the same time; applying an equal version again is harmless (the upsert is idempotent).
    return current is not None and incoming is not None and incoming < current


def order_upsert(data: OrderData) -> tuple[Order, bool]:
    """Create or update the order; a stale payload (older `updated_at`) is a no-op."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                order, created, changed = _upsert_once(data)
                _notice_after_commit(changed, data.proactive_notices)
                return order, created
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _upsert_once(data: OrderData) -> tuple[Order, bool, list[Shipment]]:
    order = (
        Order.objects.select_for_update()
        .filter(source=data.source, external_id=data.external_id)
        .first()
    )
    created = order is None
    if order is not None and is_stale(order.source_updated_at, data.updated_at):
        return order, False, []
    if order is None:
        order = Order(source=data.source, external_id=data.external_id)
        order.customer = _customer_for(data)
    elif data.customer_id and data.customer_id != order.customer_id:
        order.customer = _customer_for(data)
    old_status = None if created else order.status
    for name in ("number", "placed_at", "status", "email", "phone", "postcode", "total", "currency"):
        setattr(order, name, getattr(data, name))
    order.store_id = data.store_id
    order.source_updated_at = data.updated_at or order.source_updated_at
    order.save()
    changed = _replace_children(order, data)
    if created or old_status != order.status:
        entries.record(entries.order_event(order, created=created))
    return order, created, changed


def shipment_upsert(*, source: str, order_external_id: str, data: ShipmentData,
                    proactive_notices: bool | None = None) -> Shipment | None:
    """One shipment update (a Shopify fulfillment webhook); None when the order is unknown."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(
            source=source, external_id=order_external_id).first()
        if order is None:
            return None
        changed = _apply_shipments(order, [data], prune=False)
        _notice_after_commit(changed, proactive_notices)
    key = data.external_id
    rows = order.shipments.filter(external_id=key) if key else order.shipments.filter(
        tracking_number=data.tracking_number)
    return rows.first()


def return_upsert(*, source: str, order_external_id: str, data: ReturnData) -> Return | None:
    """One refund or return (a refund webhook); None when the order is unknown."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(
            source=source, external_id=order_external_id).first()
        if order is None:
            return None
        _apply_returns(order, [data], prune=False)
    return order.returns.filter(external_id=data.external_id).first() if data.external_id else None


def _customer_for(data: OrderData) -> Customer:
    if data.customer_id:
        customer = Customer.objects.filter(pk=data.customer_id).first()
        if customer is None:
            raise Customer.DoesNotExist(f"customer {data.customer_id} does not exist")
        while customer.merged_into_id:
            customer = customer.merged_into
        return customer
    return customer_resolve(
        claims=claims_from(email=data.email, phone=data.phone), name=data.customer_name
    ).customer


def _replace_children(order: Order, data: OrderData) -> list[Shipment]:
    """The payload is the whole truth about lines; shipments and returns that carry the
    source's id are kept and versioned one by one (a fulfillment webhook may be newer)."""
    order.lines.all().delete()
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, sku=line.sku, title=line.title, quantity=line.quantity, price=line.price)
         for line in data.lines]
    )
    _apply_returns(order, data.returns, prune=True)
    return _apply_shipments(order, data.shipments, prune=True)


def _apply_shipments(order: Order, shipments, *, prune: bool) -> list[Shipment]:
    """Update shipments in place, so their notices survive; returns those that should be
    announced (see _is_news)."""
    existing = list(order.shipments.all())
    match = _ShipmentMatcher(existing)
    seen: set[int] = set()
    changed: list[Shipment] = []
    for item in shipments:
        row = match.take(item)
        if row is not None:
            seen.add(row.pk)
            if is_stale(row.updated_at, item.updated_at):
                continue
        old = row.status if row else None
        row = row or Shipment(order=order, external_id=item.external_id)
        row.carrier, row.tracking_number = item.carrier, item.tracking_number
        row.carrier_status = (item.status or "")[:128]
        row.status = normalise_tracking(item.status)
        row.updated_at = item.updated_at or row.updated_at
        row.save()
        seen.add(row.pk)
        if _is_news(row, old):
            changed.append(row)
    if prune:
        # Shipments without a source id are only known through whole-order payloads.
        order.shipments.filter(external_id="").exclude(pk__in=seen).delete()
    return changed


class _ShipmentMatcher:
    """Finds the stored row an incoming shipment is about: by the source's id, else by
    tracking number, else (a parcel without either, or one that just got its number) the
    next untracked row of the same carrier in stored order. Each row is taken once."""

    def __init__(self, existing: list[Shipment]) -> None:
        self.by_id = {s.external_id: s for s in existing if s.external_id}
        self.by_tracking = {s.tracking_number: s for s in existing if not s.external_id and s.tracking_number}
        self.untracked: dict[str, list[Shipment]] = {}
        for s in existing:
            if not s.external_id and not s.tracking_number:
                self.untracked.setdefault(s.carrier.lower(), []).append(s)

    def take(self, item: ShipmentData) -> Shipment | None:
        if item.external_id:
            return self.by_id.pop(item.external_id, None)
        row = self.by_tracking.pop(item.tracking_number, None) if item.tracking_number else None
        if row is None:
            rows = self.untracked.get(item.carrier.lower())
            row = rows.pop(0) if rows else None
        return row


def _is_news(row: Shipment, old_status: str | None) -> bool:
    """A state change of a known shipment is news; a shipment seen for the first time is only
    news when its status is recent, so an old delay found late (a first import) opens nothing."""
    if row.status == old_status:
        return False
    if old_status is not None or row.updated_at is None:
        return True
    return row.updated_at >= timezone.now() - settings.PROACTIVE_NOTICE_MAX_AGE


def _apply_returns(order: Order, returns, *, prune: bool) -> None:
    if prune:
        order.returns.filter(external_id="").delete()
    for r in returns:
        values = {"status": r.status, "reason": r.reason, "lines": list(r.lines), "refunded": r.refunded}
        if r.external_id:
            Return.objects.update_or_create(order=order, external_id=r.external_id, defaults=values)
        else:
            Return.objects.create(order=order, **values)


def _notice_after_commit(changed: list[Shipment], enabled: bool | None) -> None:
    if enabled is None:
        enabled = settings.PROACTIVE_SHIPPING_NOTICES
    if not enabled:
        return
    from helpdesk.orders.tasks import open_shipment_notice

    for shipment in changed:
        if shipment.status in TROUBLE:
            open_shipment_notice.delay_on_commit(shipment.pk, shipment.status)
