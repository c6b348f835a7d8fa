"""Order numbers mentioned in a message ("order 100234", "bestelling #100234")."""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings


@cache
def _patterns(sources: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(source, re.IGNORECASE) for source in sources]


def order_numbers_in(*texts: str) -> list[str]:
    found: list[str] = []
    for pattern in _patterns(tuple(settings.ORDER_NUMBER_PATTERNS)):
        for text in texts:
            for match in pattern.finditer(text or ""):
                if match.group(1) not in found:
                    found.append(match.group(1))
    return found[:20]
