"""GET with the rate-limit manners both shop APIs expect (429 + Retry-After, 5xx backoff)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

logger = logging.getLogger(__name__)

Sleep = Callable[[float], None]


class ShopApiError(Exception):
    """A failed API call; `permanent` says whether retrying later can help."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


def get_with_retries(
    client: httpx.Client, url: str, *, sleep: Sleep = time.sleep, attempts: int = 6, **kwargs
) -> httpx.Response:
    for attempt in range(1, attempts + 1):
        try:
            response = client.get(url, **kwargs)
        except httpx.TransportError as exc:
            if attempt == attempts:
                raise ShopApiError(f"{url}: {exc}", permanent=False) from exc
            sleep(min(2**attempt, 30))
            continue
        if response.status_code == 429:
            wait = _retry_after(response.headers.get("Retry-After"))
            logger.info("rate limited by %s; waiting %.1f s", url, wait)
            sleep(wait)
            continue
        if response.status_code >= 500 and attempt < attempts:
            sleep(min(2**attempt, 30))
            continue
        if response.status_code >= 400:
            raise ShopApiError(
                f"{url} answered {response.status_code}: {response.text[:200]}",
                permanent=response.status_code in (401, 403, 404),
            )
        return response
    raise ShopApiError(f"{url}: still rate limited after {attempts} attempts", permanent=False)


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 2), 0.0), 60.0)
    except ValueError:
        return 2.0
