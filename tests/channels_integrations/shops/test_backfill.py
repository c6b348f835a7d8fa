"""Backfill through the shops' REST APIs against local fake servers: paging and a 429."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.core.management import call_command

from channels_integrations.shops import services
from channels_integrations.shops.tasks import backfill_orders_task
from helpdesk.orders.models import Order
from tests.channels_integrations.shops.conftest import FakeShopServer, payload

pytestmark = pytest.mark.django_db


def _shopify_orders(n: int, start: int) -> list[dict]:
    orders = []
    for i in range(start, start + n):
        order = payload("shopify_order")
        order.update(id=9000 + i, order_number=2000 + i, name=f"#{2000 + i}", email=f"klant{i}@example.nl")
        order["customer"]["email"] = order["contact_email"] = order["email"]
        order["billing_address"]["phone"] = order["shipping_address"]["phone"] = None
        orders.append(order)
    return orders


def shopify_api(request, server):
    """Two pages linked by a page_info cursor; the very first call is rate limited."""
    assert request["headers"]["X-Shopify-Access-Token"] == "shpat_test_token"
    path = request["path"]
    if len(server.requests) == 1:
        return 429, {"Retry-After": "2.0"}, {"errors": "Exceeded 2 calls per second for api client."}
    if "page_info=" not in path:
        assert "status=any" in path and "limit=250" in path
        cursor = "eyJsYXN0X2lkIjo5MDAzfQ"
        link = f'<{server.url}/admin/api/2025-01/orders.json?limit=250&page_info={cursor}>; rel="next"'
        return (
            200,
            {"Link": link, "X-Shopify-Shop-Api-Call-Limit": "39/40"},
            {"orders": _shopify_orders(3, 0)},
        )
    assert "status=" not in path  # no other filters may go with page_info
    previous = f'<{server.url}/admin/api/2025-01/orders.json?limit=250&page_info=cHJldg>; rel="previous"'
    return 200, {"Link": previous, "X-Shopify-Shop-Api-Call-Limit": "2/40"}, {"orders": _shopify_orders(2, 3)}


def test_shopify_backfill_follows_the_link_header_and_waits_on_429(shopify_shop):
    waits: list[float] = []
    with FakeShopServer(shopify_api) as server:
        shopify_shop.base_url = server.url
        result = services.backfill(shopify_shop, sleep=waits.append)
    assert result.as_dict() == {"fetched": 5, "written": 5, "stale": 0, "failed": 0}
    assert Order.objects.filter(source="shopify.webshop-nl").count() == 5
    # Retry-After honoured, then a pause because the call bucket was nearly full.
    assert waits == [2.0, 1.0]
    assert len(server.requests) == 3
    shopify_shop.refresh_from_db()
    assert shopify_shop.last_backfill_at is not None


def test_backfill_never_overwrites_a_newer_webhook_state(shopify_shop):
    newer = payload("shopify_order") | {
        "id": 9000,
        "updated_at": "2027-01-01T00:00:00+01:00",
        "cancelled_at": "2027-01-01T00:00:00+01:00",
    }
    services.apply(
        services.adapter_for(shopify_shop).parse_order(
            newer, source=shopify_shop.order_source, proactive_notices=False
        ),
        shopify_shop,
    )
    with FakeShopServer(shopify_api) as server:
        shopify_shop.base_url = server.url
        result = services.backfill(shopify_shop, sleep=lambda s: None)
    assert (result.stale, result.written) == (1, 4)
    assert Order.objects.get(external_id="9000").status == "cancelled"


def woo_api(request, server):
    """Three pages counted by X-WP-TotalPages; page 2 is rate limited once."""
    expected = "Basic " + base64.b64encode(b"ck_test:cs_test").decode()
    assert request["headers"]["Authorization"] == expected
    page = int(request["path"].split("page=")[1].split("&")[0])
    if page == 2 and sum("page=2&" in r["path"] for r in server.requests) == 1:
        return 429, {"Retry-After": "0.1"}, {"code": "too_many_requests"}
    orders = []
    for i in range(2):
        order = payload("woocommerce_order")
        order.update(id=page * 10 + i, number=str(page * 10 + i))
        order["billing"]["email"] = f"woo{page}{i}@example.nl"
        order["billing"]["phone"] = ""
        orders.append(order)
    return 200, {"X-WP-Total": "6", "X-WP-TotalPages": "3"}, orders


def test_woocommerce_backfill_by_command_pages_and_survives_a_429(woo_shop):
    out = StringIO()
    with FakeShopServer(woo_api) as server:
        woo_shop.base_url = server.url
        woo_shop.save()
        call_command("backfill_orders", "outlet", stdout=out, stderr=StringIO())
    assert "6 orders read, 6 written" in out.getvalue()
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["10", "11", "20", "21", "30", "31"]
    assert [r["path"].split("page=")[1][0] for r in server.requests] == ["1", "2", "2", "3"]


def test_backfill_task_runs_for_a_connection_id(woo_shop):
    with FakeShopServer(woo_api) as server:
        woo_shop.base_url = server.url
        woo_shop.save()
        assert backfill_orders_task.apply(args=[woo_shop.pk]).get()["written"] == 6


def test_backfill_command_refuses_an_unknown_connection(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No shop connection"):
        call_command("backfill_orders", "nope")


def test_backfill_opens_no_proactive_ticket_for_a_delayed_shipment_it_finds(shopify_shop, sanne, eager):
    """Backfill reads history: a delay it finds is old news even when the connection's notices are on."""
    from django.utils import timezone

    from helpdesk.tickets.models import Ticket
    from tests.channels_integrations.shops.conftest import committed

    shopify_shop.proactive_notices = True
    shopify_shop.save()
    order = _shopify_orders(1, 0)[0]
    delayed = payload("shopify_fulfillment") | {
        "shipment_status": "delayed",
        "updated_at": timezone.now().isoformat(),
    }
    order["fulfillments"] = [delayed]

    def api(request, server):
        return 200, {}, {"orders": [order]}

    with FakeShopServer(api) as server, committed():
        shopify_shop.base_url = server.url
        assert services.backfill(shopify_shop, sleep=lambda s: None).written == 1
    assert Order.objects.get().shipments.get().status == "delayed"
    assert Ticket.objects.count() == 0


def test_an_order_the_database_refuses_is_counted_failed_and_the_backfill_goes_on(shopify_shop):
    orders = _shopify_orders(3, 0)
    orders[1]["total_price"] = "1e20"  # more than an amount column holds

    def api(request, server):
        return 200, {}, {"orders": orders}

    with FakeShopServer(api) as server:
        shopify_shop.base_url = server.url
        result = services.backfill(shopify_shop, sleep=lambda s: None)
    assert result.as_dict() == {"fetched": 3, "written": 2, "stale": 0, "failed": 1}
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["9000", "9002"]
