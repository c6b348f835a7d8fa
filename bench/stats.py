"""Latency summaries: nearest-rank percentiles, in milliseconds."""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from pathlib import Path


def percentiles(values_ms: list[float]) -> dict[str, float]:
    if not values_ms:
        return {}
    ordered = sorted(values_ms)

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))], 2)

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": round(ordered[-1], 2),
            "mean": round(sum(ordered) / len(ordered), 2)}


def query_summary(counts: list[int]) -> dict[str, float]:
    if not counts:
        return {}
    return {"mean": round(sum(counts) / len(counts), 2), "min": min(counts), "max": max(counts)}


def status_summary(codes: list[int]) -> dict[str, int]:
    return {str(code): count for code, count in sorted(Counter(codes).items())}


def cpu_steadiness(seconds: float = 2.0) -> dict[str, float]:
    """How much of a core this process actually gets, measured before the load starts.

    The same small piece of work is timed over and over on an otherwise idle machine: on
    dedicated cores every run takes about as long as the fastest. On a shared host (a
    busy hyper-thread sibling, another tenant's vCPU) the median run is slower and
    `lost_percent` rises; every figure of the bench moves with it, so it is reported
    beside them.
    """

    def work() -> int:
        total = 0
        for number in range(20_000):
            total += number
        return total

    runs: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    runs.sort()
    fastest, total = runs[0], sum(runs)
    return {"fastest_ms": round(fastest * 1000, 3), "median_ms": round(runs[len(runs) // 2] * 1000, 3),
            "p90_ms": round(runs[int(len(runs) * 0.9)] * 1000, 3),
            "lost_percent": round(100 * (1 - fastest * len(runs) / total), 1)}


def cpu_seconds(pid: int | str) -> float | None:
    """user + system CPU the process has used so far (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
