"""What a shop adapter turns a payload into, and the small parsers the adapters share.

Adapters parse untrusted payloads at the edge into these typed objects without
touching the database; channels_integrations.shops.services hands them to the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime

from helpdesk.customers.identities import InvalidIdentity, normalise_email, normalise_phone
from helpdesk.orders.services import OrderData, ReturnData, ShipmentData


class PayloadError(ValueError):
    """A payload we cannot read as the documented format; stored, marked failed, replayable."""


@dataclass(frozen=True)
class ShipmentUpdate:
    order_external_id: str
    shipment: ShipmentData


@dataclass(frozen=True)
class ReturnUpdate:
    order_external_id: str
    refund: ReturnData


@dataclass(frozen=True)
class Ignored:
    reason: str


Parsed = OrderData | ShipmentUpdate | ReturnUpdate | Ignored


def read_order(read, payload: dict, *, shop: str, **options) -> OrderData:
    """`read(payload, **options)`, with a missing or mistyped field as a PayloadError."""
    try:
        return read(payload, **options)
    except PayloadError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PayloadError(f"not a {shop} order: {exc!r}") from exc


def when(value: Any, *, naive_is_utc: bool = False) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise PayloadError(f"not a date and time: {value!r}")
    if parsed.tzinfo is None:
        if not naive_is_utc:
            raise PayloadError(f"a time without an offset: {value!r}")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def money(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise PayloadError(f"not an amount: {value!r}") from exc


def email_or_blank(value: Any) -> str:
    """A shop may hold a typo'd address; the order still counts, without that identity."""
    try:
        return normalise_email(str(value)) if value else ""
    except InvalidIdentity:
        return ""


def phone_or_blank(value: Any) -> str:
    try:
        return normalise_phone(str(value)) if value else ""
    except InvalidIdentity:
        return ""


def text(value: Any, length: int) -> str:
    return str(value or "").strip()[:length]


def dict_of(payload: Any, what: str) -> dict:
    if not isinstance(payload, dict):
        raise PayloadError(f"{what} must be a JSON object")
    return payload


def required_id(payload: dict, key: str = "id") -> str:
    value = payload.get(key)
    if value in (None, ""):
        raise PayloadError(f"`{key}` is missing")
    return str(value)
