"""In-process measurements: ingest() throughput and API latency with query counts.

In-process numbers show what the code and the database cost, without HTTP or
connection setup (django.test.Client keeps the connection open between requests);
bench.server measures the same requests through a real ASGI server.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.stats import percentiles, query_summary, status_summary
from channels_integrations.generic.adapter import parse
from helpdesk.inbound.pipeline import ingest

WARMUP = 10  # requests per endpoint before timing: imports, caches, plans


def api_payload(contact: dict) -> dict:
    """The contact as sent over the API: without the workload's own bookkeeping keys."""
    return {key: value for key, value in contact.items() if not key.startswith("_")}


def ingest_throughput(contacts: list[dict]) -> dict:
    """Sequential ingest() of parsed contacts; parsing is done up front, untimed."""
    messages = [parse(api_payload(contact)) for contact in contacts]
    latencies, queries, created = [], [], 0
    statements = StatementStats()
    started = time.perf_counter()
    for message in messages:
        with _captured() as captured:
            begin = time.perf_counter()
            result = ingest(message)
            latencies.append((time.perf_counter() - begin) * 1000)
        queries.append(len(captured))
        statements.add(captured.captured_queries)
        created += result.created
    seconds = time.perf_counter() - started
    return {"contacts": len(messages), "created": created, "seconds": round(seconds, 2),
            "per_second": round(len(messages) / seconds, 1), "latency_ms": percentiles(latencies),
            "queries": query_summary(queries), "sql_ms_per_contact": statements.per_call(len(messages)),
            "top_statements": statements.top()}


@contextmanager
def _captured() -> Iterator[CaptureQueriesContext]:
    # Django keeps at most 9,000 logged queries; without a request cycle nothing clears
    # them, and a full log would make every later capture count zero.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        yield captured


class StatementStats:
    """Where the SQL time goes, per statement shape (literals replaced by ?)."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.ms: dict[str, float] = {}

    def add(self, queries: list[dict]) -> None:
        for query in queries:
            shape = _shape(query["sql"])
            self.calls[shape] = self.calls.get(shape, 0) + 1
            self.ms[shape] = self.ms.get(shape, 0.0) + float(query["time"]) * 1000

    def per_call(self, calls: int) -> float:
        return round(sum(self.ms.values()) / max(1, calls), 2)

    def top(self, count: int = 6) -> list[dict]:
        ranked = sorted(self.ms, key=lambda shape: -self.ms[shape])[:count]
        return [{"total_ms": round(self.ms[s]), "calls": self.calls[s],
                 "mean_ms": round(self.ms[s] / self.calls[s], 2), "sql": s} for s in ranked]


def _shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\?, )+\?\)", "(?, …)", sql)
    return sql[:400]


def endpoint_latency(token: str, paths: dict[str, list[str]]) -> dict[str, dict]:
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    return {name: _measure(client, urls) for name, urls in paths.items()}


def _measure(client: Client, urls: list[str]) -> dict:
    for url in urls[:WARMUP]:
        client.get(url)
    latencies, queries, statuses = [], [], []
    for url in urls:
        with _captured() as captured:
            begin = time.perf_counter()
            response = client.get(url)
            latencies.append((time.perf_counter() - begin) * 1000)
        queries.append(len(captured))
        statuses.append(response.status_code)
    return {"requests": len(urls), "latency_ms": percentiles(latencies),
            "queries": query_summary(queries), "status": status_summary(statuses)}


def slowest_queries(token: str, urls: list[str], top: int = 3) -> list[dict]:
    """The slowest SQL of one request per URL: where the time of a slow endpoint goes."""
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    found: list[dict] = []
    for url in urls:
        with _captured() as captured:
            client.get(url)
        for query in captured.captured_queries:
            found.append({"ms": round(float(query["time"]) * 1000, 2), "url": url,
                          "sql": query["sql"][:600]})
    return sorted(found, key=lambda item: -item["ms"])[:top]
