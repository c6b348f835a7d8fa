"""Bulk seeding with COPY into the real tables, consistent with what the services write.

Hundreds of thousands of customers through `ingest()` would take hours; COPY takes
minutes. To stay faithful, every row is what the services would have written: a
ticket's message_count, last_message_at, last_channel, preview and SLA due times come
from its messages; every message has its timeline entry, every ticket its
`ticket_opened`, every order its `order_placed`, every linked order its `order_linked`.
Nothing is dropped or disabled: indexes and foreign keys are maintained as rows arrive.
Each agent's `open_ticket_count` (what routing reads) is recounted afterwards.
"""

from __future__ import annotations

import random
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from agents.load import recount_open_tickets
from bench.population import Population
from bench.staff import Staff, ensure_staff
from bench.tickets import (
    MESSAGE_COLUMNS,
    TICKET_COLUMNS,
    TIMELINE_COLUMNS,
    WEB_STATUSES,
    TicketPlanner,
    dt,
    order_number,
)
from helpdesk.demo.data import CARRIERS, PRODUCTS

TABLES = ("customers_customer", "customers_identity", "orders_order", "orders_orderline",
          "orders_shipment", "tickets_ticket", "tickets_message", "tickets_ticket_orders",
          "timeline_timelineentry")


@dataclass(frozen=True)
class Sizes:
    customers: int
    tickets: int
    messages: int
    orders: int


def copy_rows(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """COPY rows in through the raw psycopg 3 connection under Django's."""
    connection.ensure_connection()
    raw = connection.connection
    names = ", ".join(f'"{column}"' for column in columns)  # "references" is a keyword
    count = 0
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def max_ids() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            result[table] = cursor.fetchone()[0]
    return result


def finish() -> None:
    """Sequences past the copied ids, routing's open-ticket counters, planner statistics."""
    recount_open_tickets()  # the product's own repair, as the nightly task runs it
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )
        cursor.execute(f"ANALYZE {', '.join(TABLES)}")


class Seeder:
    def __init__(self, sizes: Sizes, seed: int = 1) -> None:
        if sizes.messages < sizes.tickets:
            raise ValueError("every ticket has at least one message: --messages >= --tickets")
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.now = time.time() - 60
        self.steps: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def run(self) -> dict:
        started = time.perf_counter()
        self._step("staff", self._staff)
        self.base = max_ids()
        self._step("customers", self._customers)
        self._step("orders", self._orders)
        self._step("tickets", self._tickets)
        self._step("messages", self._messages)
        self._step("timeline", self._timeline)
        self._step("counters_sequences_analyze", finish)
        return {"skipped": False, "seconds": round(time.perf_counter() - started, 1),
                "steps_seconds": self.steps, "rows_added": self.rows}

    def _step(self, name: str, function) -> None:
        started = time.perf_counter()
        function()
        self.steps[name] = round(time.perf_counter() - started, 1)

    def _copy(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        self.rows[table] = self.rows.get(table, 0) + copy_rows(table, columns, rows)

    def _staff(self) -> None:
        self.staff: Staff = ensure_staff()

    # --- customers -------------------------------------------------------------------

    def _customers(self) -> None:
        self.people = Population(self.sizes.customers, self.base["customers_customer"] + 1,
                                 self.rng, self.now)
        self._copy("customers_customer",
                   ("id", "name", "language", "note", "created_at", "updated_at", "merged_into_id"),
                   self._customer_rows())
        self._copy("customers_identity",
                   ("id", "kind", "value", "verified", "created_at", "last_seen_at", "customer_id"),
                   self._identity_rows())

    def _customer_rows(self) -> Iterator[tuple]:
        people = self.people
        for index in range(people.count):
            created = dt(people.created[index])
            yield (people.id(index), people.name(index), "en" if people.language[index] else "nl",
                   "", created, created, None)

    def _identity_rows(self) -> Iterator[tuple]:
        people, next_id = self.people, self.base["customers_identity"]
        for index in range(people.count):
            created = dt(people.created[index])
            for kind, value in people.identities(index):
                next_id += 1
                yield (next_id, kind, value, kind == "email", created, None, people.id(index))

    # --- orders ------------------------------------------------------------------------

    def _orders(self) -> None:
        count, rng, people = self.sizes.orders, self.rng, self.people
        self.order_customer = array("l", (people.pick(rng) for _ in range(count)))
        self.order_placed = array("d", (
            rng.uniform(people.created[c], self.now - 3600) for c in self.order_customer))
        self.order_store = array("l", (
            rng.choice(self.staff.stores) if rng.random() < 0.2 else 0 for _ in range(count)))
        self.order_status = [("paid" if self.order_store[j] else rng.choice(WEB_STATUSES))
                             for j in range(count)]
        self.orders_of: dict[int, list[int]] = {}
        for j, customer in enumerate(self.order_customer):
            self.orders_of.setdefault(customer, []).append(j)
        self._copy("orders_order", ("id", "source", "external_id", "number", "status", "placed_at",
                                    "total", "currency", "email", "phone", "created_at",
                                    "updated_at", "customer_id", "store_id"), self._order_rows())
        self._copy("orders_orderline", ("id", "sku", "title", "quantity", "price", "order_id"),
                   self._line_rows())
        self._copy("orders_shipment", ("id", "carrier", "tracking_number", "status", "updated_at",
                                       "order_id"), self._shipment_rows())

    def order_id(self, j: int) -> int:
        return self.base["orders_order"] + 1 + j

    def _order_rows(self) -> Iterator[tuple]:
        people = self.people
        for j in range(self.sizes.orders):
            customer, placed = self.order_customer[j], dt(self.order_placed[j])
            total = sum((product.price for product, _ in _lines(j)), Decimal("0"))
            store = self.order_store[j] or None
            yield (self.order_id(j), "pos" if store else "webshop", f"bench-{self.order_id(j)}",
                   order_number(self.order_id(j)), self.order_status[j], placed, total, "EUR",
                   people.email(customer), people.phone(customer), placed, placed,
                   people.id(customer), store)

    def _line_rows(self) -> Iterator[tuple]:
        next_id = self.base["orders_orderline"]
        for j in range(self.sizes.orders):
            for product, size in _lines(j):
                next_id += 1
                yield (next_id, f"{product.sku}-{size}", f"{product.nl}, maat {size}", 1,
                       product.price, self.order_id(j))

    def _shipment_rows(self) -> Iterator[tuple]:
        next_id = self.base["orders_shipment"]
        for j in range(self.sizes.orders):
            status = self.order_status[j]
            if self.order_store[j] or status in ("paid", "cancelled"):
                continue
            next_id += 1
            shipped = "in_transit" if status == "shipped" else "delivered"
            yield (next_id, CARRIERS[j % len(CARRIERS)], f"3SBENCH{self.order_id(j):010d}", shipped,
                   dt(self.order_placed[j] + 2 * 86400), self.order_id(j))

    # --- tickets and messages ----------------------------------------------------------

    def _tickets(self) -> None:
        plan = TicketPlanner(self)
        self._copy("tickets_ticket", TICKET_COLUMNS, plan.rows())
        self.tickets = plan
        self._copy("tickets_ticket_orders", ("id", "ticket_id", "order_id"), plan.link_rows())

    def _messages(self) -> None:
        self._copy("tickets_message", MESSAGE_COLUMNS, self.tickets.message_rows())

    def _timeline(self) -> None:
        self._copy("timeline_timelineentry", TIMELINE_COLUMNS, self._timeline_rows())

    def _timeline_rows(self) -> Iterator[tuple]:
        next_id = self.base["timeline_timelineentry"]
        for row in self.tickets.timeline_rows():
            next_id += 1
            yield (next_id, *row)
        people = self.people
        for j in range(self.sizes.orders):
            next_id += 1
            status, store = self.order_status[j], self.order_store[j]
            source = "pos" if store else "webshop"
            yield (next_id, "order_placed", "instore" if store else "",
                   f"Order {order_number(self.order_id(j))}: {status}",
                   f'{{"status": "{status}", "source": "{source}"}}', dt(self.order_placed[j]),
                   None, people.id(self.order_customer[j]), None, self.order_id(j), None)


def _lines(j: int) -> list[tuple]:
    """An order's lines, derived from its index so totals and lines always agree."""
    picks = [PRODUCTS[(j * 7 + k * 3) % len(PRODUCTS)] for k in range(1 + j % 3)]
    return [(product, product.sizes[(j + k) % len(product.sizes)]) for k, product in enumerate(picks)]
