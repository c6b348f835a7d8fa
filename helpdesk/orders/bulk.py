"""Many orders at once (store receipts): the same rules as order_upsert, in a few queries.

order_upsert resolves one customer per order with row locks, which is right for a
webhook and far too slow for a day of receipts from every till. Here one batch reads
every identity it mentions in one query, creates the missing customers and identities
with bulk inserts, and writes orders, lines and timeline entries in bulk. The rules stay
those of customer_resolve (customers.services.best_customer_id), conflicting claims are
never merged but suggested, and an unknown customer is created with the given details.
Only lines are written: receipts have no shipments or returns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from helpdesk.customers.models import Customer, Identity, MergeSuggestion
from helpdesk.customers.services import best_customer_id
from helpdesk.orders.models import Order, OrderLine
from helpdesk.orders.services import OrderData
from helpdesk.timeline import entries


@dataclass(frozen=True)
class BulkOrder:
    data: OrderData
    loyalty_card: str = ""  # normalised


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    new_customers: int = 0


def _claims(item: BulkOrder) -> list[tuple[str, str]]:
    d = item.data
    found = [("loyalty_card", item.loyalty_card), ("email", d.email), ("phone", d.phone)]
    return [(kind, value) for kind, value in found if value]


def orders_bulk_upsert(items: list[BulkOrder]) -> BulkResult:
    """Upsert one batch in one transaction; every item needs at least one identity."""
    result = BulkResult()
    if not items:
        return result
    with transaction.atomic():
        customer_ids = _resolve_customers(items, result)
        orders = _write_orders(items, customer_ids, result)
        _write_lines(items, orders)
    return result


def _resolve_customers(items: list[BulkOrder], result: BulkResult) -> list[int]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for kind, value in _claims(item):
            wanted[kind].add(value)
    query = Q()
    for kind, values in wanted.items():
        query |= Q(kind=kind, value__in=values)
    known: dict[tuple[str, str], int] = {
        (kind, value): customer_id
        for kind, value, customer_id in Identity.objects.filter(query).values_list(
            "kind", "value", "customer_id"
        )
    }
    # Lock the matched customers, as customer_resolve does, so a concurrent merge waits for us.
    list(Customer.objects.select_for_update().filter(pk__in=set(known.values())).values_list("pk", flat=True))
    owner: list[int | Customer] = []
    new_identities: list[tuple[int | Customer, str, str]] = []
    suggestions: set[tuple[int, int]] = set()
    for item in items:
        claims = _claims(item)
        matches = [(kind, known[(kind, value)]) for kind, value in claims if (kind, value) in known]
        # Customers already stored are ranked as customer_resolve ranks them; one created
        # earlier in this batch only counts when no stored customer matches.
        stored = [(kind, c) for kind, c in matches if isinstance(c, int)]
        if matches:
            best: int | Customer = best_customer_id(stored) if stored else matches[0][1]
            suggestions.update((best, other) for _, other in matches if other != best)  # type: ignore[misc]
        else:
            best = Customer(name=item.data.customer_name[:200])
        for claim in claims:
            if claim not in known:
                known[claim] = best  # type: ignore[assignment]
                new_identities.append((best, *claim))
        owner.append(best)
    new_customers = list({id(c): c for c in owner if isinstance(c, Customer)}.values())
    Customer.objects.bulk_create(new_customers)
    result.new_customers += len(new_customers)

    def pk(c: int | Customer) -> int:
        return c.pk if isinstance(c, Customer) else c

    # A concurrent import may have taken an identity meanwhile: it stays with that customer.
    Identity.objects.bulk_create(
        [Identity(customer_id=pk(c), kind=kind, value=value) for c, kind, value in new_identities],
        ignore_conflicts=True,
    )
    MergeSuggestion.objects.bulk_create(
        [
            MergeSuggestion(
                customer_id=a, other_id=b, reason="One store receipt claimed both customers' details"
            )
            for a, b in suggestions
        ],
        ignore_conflicts=True,
    )
    return [pk(c) for c in owner]


def _write_orders(items: list[BulkOrder], customer_ids: list[int], result: BulkResult) -> list[Order]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_source[item.data.source].append(item.data.external_id)
    query = Q()
    for source, ids in by_source.items():
        query |= Q(source=source, external_id__in=ids)
    existing = {(o.source, o.external_id): o for o in Order.objects.select_for_update().filter(query)}
    fields = ("number", "placed_at", "status", "email", "phone", "total", "currency", "store_id")
    orders, new, changed = [], [], []
    for item, customer_id in zip(items, customer_ids, strict=True):
        d = item.data
        order = existing.get((d.source, d.external_id))
        if order is None:
            order = Order(source=d.source, external_id=d.external_id, customer_id=customer_id)
            new.append(order)
        else:
            changed.append(order)
        for name in fields:
            setattr(order, name, getattr(d, name))
        orders.append(order)
    Order.objects.bulk_create(new)
    if changed:
        Order.objects.bulk_update(changed, list(fields))
        OrderLine.objects.filter(order__in=changed).delete()
    entries.record(entries.order_event(order, created=True) for order in new)
    result.created += len(new)
    result.updated += len(changed)
    return orders


def _write_lines(items: list[BulkOrder], orders: list[Order]) -> None:
    OrderLine.objects.bulk_create(
        [
            OrderLine(order=order, sku=line.sku, title=line.title, quantity=line.quantity, price=line.price)
            for item, order in zip(items, orders, strict=True)
            for line in item.data.lines
        ]
    )
