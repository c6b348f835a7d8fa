"""WooCommerce: webhook signatures, order payloads, and the REST backfill.

Webhooks: `X-WC-Webhook-Signature` is the base64 HMAC-SHA256 of the raw body with the
webhook's secret; `X-WC-Webhook-Topic` names the event (order.created, order.updated…);
`X-WC-Webhook-Delivery-ID` identifies the delivery. When a webhook is saved WooCommerce
first posts an unsigned `webhook_id=<id>` form body and only activates the webhook on a
200, so that ping is answered and nothing is stored.
Backfill: GET /wp-json/wc/v3/orders with page/per_page, pages counted by X-WP-TotalPages,
basic auth with the consumer key and secret.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx

from channels_integrations.shops.http import Sleep, get_with_retries
from channels_integrations.shops.parsing import (
    Ignored,
    Parsed,
    PayloadError,
    dict_of,
    email_or_blank,
    money,
    phone_or_blank,
    read_order,
    required_id,
    text,
    when,
)
from channels_integrations.shops.signatures import sign as sign  # the adapter interface
from channels_integrations.shops.signatures import verify as verify
from helpdesk.orders.services import LineData, OrderData, ReturnData, ShipmentData

SIGNATURE_HEADER = "X-WC-Webhook-Signature"
TOPIC_HEADER = "X-WC-Webhook-Topic"
DELIVERY_HEADER = "X-WC-Webhook-Delivery-ID"

ORDER_TOPICS = {"order.created", "order.updated", "order.restored"}
_PING = re.compile(rb"^webhook_id=\d+$")

# WooCommerce order statuses in the helpdesk's words.
_STATUS = {
    "pending": "placed",
    "checkout-draft": "placed",
    "on-hold": "on_hold",
    "processing": "paid",
    "completed": "shipped",
    "cancelled": "cancelled",
    "refunded": "refunded",
    "failed": "failed",
    "trash": "cancelled",
}
# Shipment Tracking extensions keep their parcels in this order meta key.
_TRACKING_META = "_wc_shipment_tracking_items"


def is_ping(body: bytes, content_type: str) -> bool:
    return bool(_PING.match(body.strip()))


def parse(topic: str, payload, *, source: str, proactive_notices: bool) -> Parsed:
    payload = dict_of(payload, "the webhook body")
    if topic in ORDER_TOPICS:
        return parse_order(payload, source=source, proactive_notices=proactive_notices)
    if topic == "order.deleted":
        return Ignored("a deleted order keeps its history here")
    return Ignored(f"topic {topic!r} is not used")


def parse_order(payload: dict, *, source: str, proactive_notices: bool) -> OrderData:
    return read_order(_order, payload, shop="WooCommerce", source=source, proactive_notices=proactive_notices)


def _order(p: dict, *, source: str, proactive_notices: bool) -> OrderData:
    external_id = required_id(p)
    billing = p.get("billing") or {}
    shipping = p.get("shipping") or {}
    placed_at = when(p.get("date_created_gmt"), naive_is_utc=True) or when(p.get("date_created"))
    if placed_at is None:
        raise PayloadError("`date_created_gmt` is missing")
    name = " ".join(filter(None, [billing.get("first_name"), billing.get("last_name")]))
    return OrderData(
        source=source,
        external_id=external_id,
        number=text(p.get("number") or external_id, 64),
        placed_at=placed_at,
        updated_at=when(p.get("date_modified_gmt"), naive_is_utc=True),
        status=_STATUS.get(str(p.get("status")), text(p.get("status") or "placed", 32)),
        email=email_or_blank(billing.get("email")),
        phone=phone_or_blank(billing.get("phone") or shipping.get("phone")),
        customer_name=text(name, 200),
        postcode=text(shipping.get("postcode") or billing.get("postcode"), 16) or None,
        total=money(p.get("total")),
        currency=text(p.get("currency") or "EUR", 3).upper(),
        lines=tuple(_line(item) for item in p.get("line_items") or []),
        shipments=tuple(_shipments(p.get("meta_data") or [])),
        returns=tuple(_refund(r) for r in p.get("refunds") or []),
        proactive_notices=proactive_notices,
    )


def _line(item: dict) -> LineData:
    return LineData(
        title=text(item.get("name"), 255) or "(item)",
        sku=text(item.get("sku"), 64),
        quantity=int(item.get("quantity") or 1),
        price=money(item.get("price")),
    )


def _refund(r: dict) -> ReturnData:
    r = dict_of(r, "a refund")
    # The order payload lists refunds with a negative total.
    return ReturnData(
        external_id=required_id(r),
        status="refunded",
        reason=text(r.get("reason"), 255),
        refunded=abs(money(r.get("total"))),
    )


def _shipments(meta: list) -> Iterator[ShipmentData]:
    for entry in meta:
        if not isinstance(entry, dict) or entry.get("key") != _TRACKING_META:
            continue
        for item in entry.get("value") or []:
            item = dict_of(item, "a shipment tracking item")
            yield ShipmentData(
                external_id=text(item.get("tracking_id") or item.get("tracking_number"), 128),
                carrier=text(item.get("tracking_provider") or item.get("custom_tracking_provider"), 64),
                tracking_number=text(item.get("tracking_number"), 128),
                status=text(item.get("status") or item.get("tracking_status") or "in_transit", 128),
                updated_at=_shipped_at(item.get("status_updated") or item.get("date_shipped")),
            )


def _shipped_at(value) -> datetime | None:
    """The extension stores a Unix time as a string; other plugins an ISO time."""
    if value in (None, ""):
        return None
    if str(value).isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC)
    return when(value, naive_is_utc=True)


class Client:
    """The orders of one site through the WooCommerce REST API v3."""

    per_page = 100

    def __init__(self, connection, *, http: httpx.Client | None = None, sleep: Sleep = time.sleep):
        self.connection = connection
        self.http = http or httpx.Client(timeout=30)
        self.sleep = sleep

    def orders(self, *, since: datetime | None = None) -> Iterator[dict]:
        url = f"{self.connection.base_url.rstrip('/')}/wp-json/wc/v3/orders"
        auth = (self.connection.secret("consumer_key_env"), self.connection.secret("consumer_secret_env"))
        page, pages = 1, 1
        while page <= pages:
            params: dict = {"page": page, "per_page": self.per_page, "orderby": "id", "order": "asc"}
            if since:
                params["modified_after"] = since.isoformat()
            response = get_with_retries(self.http, url, params=params, auth=auth, sleep=self.sleep)
            orders = response.json()
            if not isinstance(orders, list):
                raise PayloadError(f"{url}: the answer is not a list of orders")
            yield from orders
            pages = int(response.headers.get("X-WP-TotalPages") or page)
            page += 1
