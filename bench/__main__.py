"""`python -m bench`: seed PostgreSQL in bulk, measure the hot paths, print one JSON document."""

from __future__ import annotations

import argparse
import os
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Seed the PostgreSQL database in DATABASE_URL to production size with COPY, "
                    "then measure ingest(), API latency and HTTP inbound throughput.",
    )
    size = parser.add_argument_group("data set")
    size.add_argument("--customers", type=int, default=200_000)
    size.add_argument("--tickets", type=int, default=500_000)
    size.add_argument("--messages", type=int, default=2_000_000)
    size.add_argument("--orders", type=int, default=300_000)
    size.add_argument("--skip-seed", action="store_true", help="measure the data already there")
    size.add_argument("--seed", type=int, default=1, help="random seed of the generated data")
    work = parser.add_argument_group("workload")
    work.add_argument("--requests", type=int, default=200, help="GETs per endpoint (default 200)")
    work.add_argument("--ingest", type=int, default=2000, help="contacts through ingest()")
    work.add_argument("--http-inbound", type=int, default=3000, help="contacts POSTed over HTTP")
    work.add_argument("--concurrency", type=int, default=8, help="HTTP inbound client threads")
    work.add_argument("--server-workers", type=int, default=2,
                      help="uvicorn worker processes (default 2: one per core of the reference machine)")
    parser.add_argument("--out", help="also write the JSON document to this file")
    args = parser.parse_args(argv)
    counts = (args.customers, args.tickets, args.messages, args.orders, args.requests, args.ingest,
              args.http_inbound, args.concurrency, args.server_workers)
    if min(counts) < 1:
        parser.error("every count must be at least 1")
    if args.messages < args.tickets:
        parser.error("--messages must be at least --tickets (every ticket has a message)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench: refusing to run on " + connection.vendor + ": set DATABASE_URL to a "
              "PostgreSQL database (postgres://user@host:port/name). The bench seeds "
              "millions of rows with PostgreSQL's COPY.", file=sys.stderr)
        return 2
    from bench.run import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
