"""Order upsert by (source, external id): the latest payload is the order's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from helpdesk.customers.models import Customer
from helpdesk.customers.services import claims_from, customer_resolve
from helpdesk.orders.models import Order, OrderLine, Return, Shipment
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
    status: str = "pending"
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ReturnData:
    status: str = "requested"
    reason: str = ""
    lines: tuple[str, ...] = ()
    refunded: Decimal = Decimal("0")


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


def order_upsert(data: OrderData) -> tuple[Order, bool]:
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _upsert_once(data)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _upsert_once(data: OrderData) -> tuple[Order, bool]:
    order = (
        Order.objects.select_for_update()
        .filter(source=data.source, external_id=data.external_id)
        .first()
    )
    created = order is None
    if created:
        order = Order(source=data.source, external_id=data.external_id)
        order.customer = _customer_for(data)
    elif data.customer_id and data.customer_id != order.customer_id:
        order.customer = _customer_for(data)
    old_status = None if created else order.status
    for name in ("number", "placed_at", "status", "email", "phone", "postcode", "total", "currency"):
        setattr(order, name, getattr(data, name))
    order.store_id = data.store_id
    order.save()
    _replace_children(order, data)
    if created or old_status != order.status:
        entries.record(entries.order_event(order, created=created))
    return order, created


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


def _replace_children(order: Order, data: OrderData) -> None:
    """The payload is the whole truth about lines, shipments and returns."""
    order.lines.all().delete()
    order.shipments.all().delete()
    order.returns.all().delete()
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, sku=line.sku, title=line.title, quantity=line.quantity, price=line.price)
         for line in data.lines]
    )
    Shipment.objects.bulk_create(
        [Shipment(order=order, carrier=s.carrier, tracking_number=s.tracking_number,
                  status=s.status, updated_at=s.updated_at) for s in data.shipments]
    )
    Return.objects.bulk_create(
        [Return(order=order, status=r.status, reason=r.reason, lines=list(r.lines),
                refunded=r.refunded) for r in data.returns]
    )
