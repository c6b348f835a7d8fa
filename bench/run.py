"""The bench's steps in order, and the targets they are judged against.

Imported only after django.setup() (see bench/__main__.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench import measure, server
from bench.seed import TABLES, Seeder, Sizes
from bench.staff import api_token, token_for
from bench.stats import cpu_steadiness
from bench.workload import Workload, build

# p95 latency limits in milliseconds, checked in-process and over HTTP.
LATENCY_TARGETS = {"inbox": 50, "ticket": 50, "timeline": 50, "search": 100}
HTTP_INBOUND_TARGET = 200  # contacts per second, at least


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
    log("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    report: dict = {"environment": _environment(args)}
    report["seed"] = _seed(args)
    report["rows"] = _row_counts()
    if not report["rows"]["tickets_ticket"]:
        log("no tickets to measure: run without --skip-seed first")
        return 2
    token = api_token()
    log("sampling the workload")
    workload = build(requests=args.requests, inbound=args.ingest + args.http_inbound,
                     tag=f"{int(time.time())}", rng=random.Random(args.seed))
    report.update(_measure(args, workload, token))
    report["targets"] = _targets(report)
    report["passed"] = all(target["pass"] for target in report["targets"])
    report["slowest_queries"] = _diagnose(report, workload, token)
    report["environment"]["load_average_at_end"] = _load_average()
    _emit(report, args.out)
    return 0


def _seed(args: argparse.Namespace) -> dict:
    if args.skip_seed:
        return {"skipped": True}
    sizes = Sizes(args.customers, args.tickets, args.messages, args.orders)
    log(f"seeding {sizes} with COPY")
    return Seeder(sizes, seed=args.seed).run()


def _measure(args: argparse.Namespace, workload: Workload, token: str) -> dict:
    ingest_contacts, http_contacts = workload.inbound[:args.ingest], workload.inbound[args.ingest:]
    log("API latency, in-process")
    in_process = measure.endpoint_latency(token, workload.paths)
    kinds = workload.search_kinds
    in_process["search"]["query_mix"] = {kind: kinds.count(kind) for kind in sorted(set(kinds))}
    in_process.update(_other_inbox_views(args.requests))
    log(f"{len(ingest_contacts)} contacts through ingest()")
    ingest = measure.ingest_throughput(ingest_contacts)
    ingest["known_share"] = workload.known_share
    log(f"uvicorn with {args.server_workers} worker(s): latency, then {len(http_contacts)} contacts")
    steadiness = cpu_steadiness()  # the machine as the HTTP runs find it
    with server.asgi_server(args.server_workers) as base_url:
        http = {"server": f"uvicorn, {args.server_workers} worker(s)", "cpu_steadiness_before": steadiness,
                "latency": server.latency(base_url, token, workload.paths),
                "inbound": server.inbound(base_url, token, http_contacts, args.concurrency)}
    return {"ingest": ingest, "in_process": in_process, "http": http}


# Inbox views of other roles: no target of their own, but where slow plans hide (a
# team filter through a join, store staff's reach as an OR). Skipped without bench staff.
OTHER_VIEWS = {"inbox_team (agent)": ("bench-agent-1", "team"),
               "inbox_all (store staff)": ("bench-store-bench01", "all")}


def _other_inbox_views(requests: int) -> dict:
    results = {}
    for name, (username, view) in OTHER_VIEWS.items():
        token = token_for(username)
        if token:
            paths = {name: [f"/api/v1/tickets/?view={view}"] * requests}
            results.update(measure.endpoint_latency(token, paths))
    return results


def _targets(report: dict) -> list[dict]:
    targets = []
    for where, results in (("in-process", report["in_process"]), ("http", report["http"]["latency"])):
        for name, limit in LATENCY_TARGETS.items():
            result = results[name]
            value = result["latency_ms"]["p95"]
            ok = set(result["status"]) == {"200"}
            targets.append({"target": f"{name} p95 < {limit} ms ({where})", "value_ms": value,
                            "all_200": ok, "pass": ok and value < limit})
    inbound = report["http"]["inbound"]
    errors = sum(n for code, n in inbound["status"].items() if code not in ("200", "201"))
    targets.append({"target": f"HTTP inbound >= {HTTP_INBOUND_TARGET}/s",
                    "value_per_second": inbound["per_second"], "errors": errors,
                    "pass": errors == 0 and inbound["per_second"] >= HTTP_INBOUND_TARGET})
    return targets


def _diagnose(report: dict, workload: Workload, token: str) -> dict:
    """For every endpoint that missed a target: its slowest SQL statements."""
    missed = {t["target"].split()[0] for t in report["targets"] if not t["pass"]}
    return {name: measure.slowest_queries(token, workload.paths[name][:20])
            for name in LATENCY_TARGETS if name in missed}


def _environment(args: argparse.Namespace) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    database = settings.DATABASES["default"]
    return {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "postgresql": version, "database": f"{database.get('HOST')}:{database.get('PORT')}/"
                                           f"{database.get('NAME')}",
        "python": platform.python_version(), "cpus": os.cpu_count(),
        # Other work on the machine skews every latency; say how busy it was.
        "load_average_at_start": _load_average(),
        "cpu_steadiness_at_start": cpu_steadiness(),
        "conn_max_age": database.get("CONN_MAX_AGE"),
        "http_server_db_pool_max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "8")),
        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1],
        "celery_eager": settings.CELERY_TASK_ALWAYS_EAGER,
        "sizes_requested": {"customers": args.customers, "tickets": args.tickets,
                            "messages": args.messages, "orders": args.orders},
    }


def _load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _emit(report: dict, out: str | None) -> None:
    text = json.dumps(report, indent=2, default=str)
    print(text)
    if out:
        Path(out).write_text(text + "\n")
        log(f"written to {out}")
