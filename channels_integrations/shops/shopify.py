"""Shopify: webhook signatures, order/fulfillment/refund payloads, and the REST backfill.

Webhooks: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body with the
app's secret; `X-Shopify-Topic` names the event; `X-Shopify-Webhook-Id` repeats on retries.
Backfill: GET /admin/api/<version>/orders.json, paged by the Link header (page_info
cursor), with the leaky-bucket manners: wait on 429 + Retry-After, and slow down when
X-Shopify-Shop-Api-Call-Limit says the bucket is nearly full.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import httpx

from channels_integrations.shops.http import Sleep, get_with_retries
from channels_integrations.shops.parsing import (
    Ignored,
    Parsed,
    PayloadError,
    ReturnUpdate,
    ShipmentUpdate,
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

SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
DELIVERY_HEADER = "X-Shopify-Webhook-Id"

ORDER_TOPICS = {
    "orders/create",
    "orders/updated",
    "orders/paid",
    "orders/cancelled",
    "orders/fulfilled",
    "orders/partially_fulfilled",
}
FULFILLMENT_TOPICS = {"fulfillments/create", "fulfillments/update"}
REFUND_TOPICS = {"refunds/create"}


def is_ping(body: bytes, content_type: str) -> bool:
    return False  # Shopify sends no unsigned ping


def parse(topic: str, payload, *, source: str, proactive_notices: bool) -> Parsed:
    payload = dict_of(payload, "the webhook body")
    if topic in ORDER_TOPICS:
        return parse_order(payload, source=source, proactive_notices=proactive_notices)
    if topic in FULFILLMENT_TOPICS:
        return ShipmentUpdate(required_id(payload, "order_id"), _fulfillment(payload))
    if topic in REFUND_TOPICS:
        return ReturnUpdate(required_id(payload, "order_id"), _refund(payload))
    return Ignored(f"topic {topic!r} is not used")


def parse_order(payload: dict, *, source: str, proactive_notices: bool) -> OrderData:
    return read_order(_order, payload, shop="Shopify", source=source, proactive_notices=proactive_notices)


def _order(p: dict, *, source: str, proactive_notices: bool) -> OrderData:
    external_id = required_id(p)
    customer = p.get("customer") or {}
    billing = p.get("billing_address") or {}
    shipping = p.get("shipping_address") or {}
    name = " ".join(filter(None, [customer.get("first_name"), customer.get("last_name")]))
    placed_at = when(p.get("processed_at") or p.get("created_at"))
    if placed_at is None:
        raise PayloadError("`created_at` is missing")
    shipments = tuple(_fulfillment(f) for f in p.get("fulfillments") or [])
    return OrderData(
        source=source,
        external_id=external_id,
        number=text(p.get("order_number") or str(p.get("name") or "").lstrip("#") or external_id, 64),
        placed_at=placed_at,
        updated_at=when(p.get("updated_at")),
        status=_status(p, shipments),
        email=email_or_blank(p.get("email") or p.get("contact_email") or customer.get("email")),
        phone=phone_or_blank(
            p.get("phone") or customer.get("phone") or billing.get("phone") or shipping.get("phone")
        ),
        customer_name=text(name or billing.get("name") or shipping.get("name"), 200),
        postcode=text(shipping.get("zip") or billing.get("zip"), 16) or None,
        total=money(p.get("total_price")),
        currency=text(p.get("currency") or "EUR", 3).upper(),
        lines=tuple(_line(item) for item in p.get("line_items") or []),
        shipments=shipments,
        returns=tuple(_refund(r) for r in p.get("refunds") or []),
        proactive_notices=proactive_notices,
    )


def _status(p: dict, shipments: tuple[ShipmentData, ...]) -> str:
    if p.get("cancelled_at"):
        return "cancelled"
    if p.get("financial_status") == "refunded":
        return "refunded"
    if shipments and all(s.status == "delivered" for s in shipments):
        return "delivered"
    if p.get("fulfillment_status") in ("fulfilled", "partial"):
        return "shipped"
    return "paid" if p.get("financial_status") in ("paid", "partially_refunded") else "placed"


def _line(item: dict) -> LineData:
    title = text(item.get("title") or item.get("name"), 200)
    if item.get("variant_title"):
        title = f"{title} – {item['variant_title']}"[:255]
    return LineData(
        title=title or "(item)",
        sku=text(item.get("sku"), 64),
        quantity=int(item.get("quantity") or 1),
        price=money(item.get("price")),
    )


def _fulfillment(f: dict) -> ShipmentData:
    f = dict_of(f, "a fulfillment")
    numbers = f.get("tracking_numbers") or []
    return ShipmentData(
        external_id=required_id(f),
        carrier=text(f.get("tracking_company"), 64),
        tracking_number=text(f.get("tracking_number") or (numbers[0] if numbers else ""), 128),
        # shipment_status is the carrier's word; without one, the fulfillment's own status.
        status=text(f.get("shipment_status") or f.get("status") or "pending", 128),
        updated_at=when(f.get("updated_at") or f.get("created_at")),
    )


def _refund(r: dict) -> ReturnData:
    r = dict_of(r, "a refund")
    refunded = sum(
        (
            money(t.get("amount"))
            for t in r.get("transactions") or []
            if t.get("kind") == "refund" and t.get("status") in ("success", None)
        ),
        money(0),
    )
    items = r.get("refund_line_items") or []
    if not refunded:
        refunded = sum((money(i.get("subtotal")) + money(i.get("total_tax")) for i in items), money(0))
    skus = [text((i.get("line_item") or {}).get("sku"), 64) for i in items]
    return ReturnData(
        external_id=required_id(r),
        status="refunded",
        reason=text(r.get("note"), 255),
        lines=tuple(s for s in skus if s),
        refunded=refunded,
    )


class Client:
    """The orders of one shop through the REST Admin API, oldest change first."""

    def __init__(self, connection, *, http: httpx.Client | None = None, sleep: Sleep = time.sleep):
        self.connection = connection
        self.http = http or httpx.Client(timeout=30)
        self.sleep = sleep

    def orders(self, *, since: datetime | None = None) -> Iterator[dict]:
        base = self.connection.base_url.rstrip("/")
        url: str | None = f"{base}/admin/api/{self.connection.api_version}/orders.json"
        params: dict | None = {"status": "any", "limit": 250}
        if since:
            params["updated_at_min"] = since.isoformat()
        headers = {
            "X-Shopify-Access-Token": self.connection.secret("access_token_env"),
            "Accept": "application/json",
        }
        while url:
            response = get_with_retries(self.http, url, params=params, headers=headers, sleep=self.sleep)
            orders = response.json().get("orders")
            if not isinstance(orders, list):
                raise PayloadError(f"{url}: no `orders` list in the answer")
            yield from orders
            self._pace(response.headers.get("X-Shopify-Shop-Api-Call-Limit", ""))
            # The next page's URL carries the page_info cursor; no other filters may go with it.
            url, params = response.links.get("next", {}).get("url"), None

    def _pace(self, call_limit: str) -> None:
        used, _, size = call_limit.partition("/")
        if used.isdigit() and size.isdigit() and int(used) >= int(size) - 2:
            self.sleep(1.0)  # the bucket leaks about two calls a second
