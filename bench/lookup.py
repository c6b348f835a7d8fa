"""`python -m bench.lookup`: the store counter's customer lookup at production size.

Seeds (unless there are already `--customers` customers) 200,000 customers with their
identities and 300,000 orders using bench.seed's COPY rows, then measures the lookup p95
by phone (typed as `06-…`), email, order number and a typo'd name: the selector alone
and the whole `/store/` page of a store staff member (with its access-audit insert).
Prints one JSON document; targets: p95 < 50 ms per key, in both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

TARGET_MS = 50
KEYS = ("phone", "email", "order", "name")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.lookup", description=__doc__)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=300_000)
    parser.add_argument("--skip-seed", action="store_true",
                        help="never seed (by default seeding is skipped when the customers are there)")
    parser.add_argument("--requests", type=int, default=200, help="lookups per key (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="also write the JSON document to this file")
    args = parser.parse_args(argv)
    if min(args.customers, args.orders, args.requests) < 1:
        parser.error("every count must be at least 1")
    return args


def log(message: str) -> None:
    print(f"bench.lookup: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        log("refusing to run on " + connection.vendor + ": set DATABASE_URL to PostgreSQL")
        return 2
    from django.core.management import call_command

    log("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    report = {"seed": _seed(args)}
    report.update(_measure(args))
    report["targets"] = [
        {"name": f"{where} {key} p95 < {TARGET_MS} ms", "value": stats["latency_ms"]["p95"],
         "pass": stats["latency_ms"]["p95"] < TARGET_MS}
        for where in ("selector", "page") for key, stats in report[where].items()
    ]
    report["passed"] = all(target["pass"] for target in report["targets"])
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text + "\n")
    return 0 if report["passed"] else 1


def _seed(args: argparse.Namespace) -> dict:
    from helpdesk.customers.models import Customer

    present = Customer.objects.count()
    if args.skip_seed or present >= args.customers:
        return {"skipped": True, "customers_present": present}
    from bench.seed import Seeder, Sizes, finish, max_ids

    class LookupSeeder(Seeder):
        """Only what a lookup reads: staff, customers with identities, orders."""

        def run(self) -> dict:
            started = time.perf_counter()
            self._step("staff", self._staff)
            self.base = max_ids()
            self._step("customers", self._customers)
            self._step("orders", self._orders)
            self._step("sequences_analyze", finish)
            return {"skipped": False, "seconds": round(time.perf_counter() - started, 1),
                    "steps_seconds": self.steps, "rows_added": self.rows}

    log(f"seeding {args.customers} customers and {args.orders} orders")
    sizes = Sizes(customers=args.customers, tickets=1, messages=1, orders=args.orders)
    return LookupSeeder(sizes, seed=args.seed).run()


def typo(name: str, rng: random.Random) -> str:
    """The name as a customer might spell it: one letter of the surname dropped or doubled."""
    first, _, last = name.rpartition(" ")
    if len(last) < 4:
        return name
    at = rng.randrange(1, len(last) - 1)
    last = last[:at] + last[at + 1:] if rng.random() < 0.5 else last[:at] + last[at] + last[at:]
    return f"{first} {last}".strip()


def _queries(count: int, rng: random.Random) -> dict[str, list[str]]:
    from bench.workload import _sample

    phones = _sample("SELECT value FROM customers_identity WHERE kind = 'phone'", count)
    return {
        "phone": [f"06-{p[4:]}" if p.startswith("+316") else p for p in phones],
        "email": [e.upper() if rng.random() < 0.3 else e
                  for e in _sample("SELECT value FROM customers_identity WHERE kind = 'email'", count)],
        "order": _sample("SELECT number FROM orders_order", count),
        "name": [typo(n, rng) for n in
                 _sample("SELECT name FROM customers_customer WHERE name <> ''", count)],
    }


def _measure(args: argparse.Namespace) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agents.models import Role, User
    from bench.stats import percentiles, query_summary
    from helpdesk.store.selectors import lookup

    rng = random.Random(args.seed)
    queries = _queries(args.requests, rng)
    staff = User.objects.filter(role=Role.STORE_STAFF, stores__isnull=False, is_active=True).first()
    if staff is None:
        from bench.staff import ensure_staff

        ensure_staff()
        staff = User.objects.filter(role=Role.STORE_STAFF, stores__isnull=False).first()
    client = Client()
    client.force_login(staff)
    selector, page = {}, {}
    for key in KEYS:
        items = queries[key]
        for query in items[:10]:  # warm-up: imports, plans, caches
            lookup(query, key=key)
        times, hits = [], 0
        for query in items:
            began = time.perf_counter()
            hits += bool(lookup(query, key=key))
            times.append((time.perf_counter() - began) * 1000)
        selector[key] = {"lookups": len(items), "found_share": round(hits / len(items), 3),
                         "latency_ms": percentiles(times), "example": items[0]}
        times, counts, codes = [], [], set()
        for query in items:
            reset_queries()  # the query log is bounded: keep each count exact
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get("/store/", {"q": query, "key": key})
                times.append((time.perf_counter() - began) * 1000)
            counts.append(len(captured))
            codes.add(response.status_code)
        page[key] = {"requests": len(items), "status": sorted(codes), "latency_ms": percentiles(times),
                     "queries": query_summary(counts)}
        log(f"{key}: selector p95 {selector[key]['latency_ms']['p95']} ms, "
            f"page p95 {page[key]['latency_ms']['p95']} ms")
    from helpdesk.customers.models import Customer

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {"environment": {"postgresql": version, "cpus": os.cpu_count(),
                            "customers": Customer.objects.count(), "staff": staff.username},
            "selector": selector, "page": page}


if __name__ == "__main__":
    sys.exit(main())
