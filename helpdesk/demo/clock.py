"""A settable clock for loading demo history through the real services.

The services stamp everything with `timezone.now()` (and model defaults with the same
function). To make a demo ticket that was opened three weeks ago, answered two hours
later and solved the next day, the loader sets this clock before each step; the rows
then carry the times a real history would have, and KPIs computed from them make sense.
Only the demo loader uses it, and only for the duration of the load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.apps import apps
from django.db.models import Field
from django.utils import timezone


class Clock:
    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        self._now = at


def _fields_defaulting_to(function: Callable[[], datetime]) -> list[Field]:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, Field) and getattr(field, "default", None) is function
    ]


def _set_default(field: Field, function: Callable[[], datetime]) -> None:
    field.default = function
    field.__dict__.pop("_get_default", None)  # Django caches the default's callable


@contextmanager
def simulated_clock(start: datetime) -> Iterator[Clock]:
    """Within the block `timezone.now()` and `default=timezone.now` fields read the clock."""
    real_now = timezone.now
    clock = Clock(start)
    fields = _fields_defaulting_to(real_now)
    timezone.now = clock.now
    for field in fields:
        _set_default(field, clock.now)
    try:
        yield clock
    finally:
        timezone.now = real_now
        for field in fields:
            _set_default(field, real_now)
