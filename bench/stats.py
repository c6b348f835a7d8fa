"""Latency summaries: nearest-rank percentiles, in milliseconds."""

from __future__ import annotations

import math
from collections import Counter


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
