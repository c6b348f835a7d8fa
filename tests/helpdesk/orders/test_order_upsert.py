"""Orders upsert by (source, external id) and attach to customers through identities."""

from __future__ import annotations

import pytest

from helpdesk.customers.models import Customer
from helpdesk.orders.models import Order
from helpdesk.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db

ORDER = {
    "source": "webshop",
    "external_id": "wc-100234",
    "number": "100234",
    "email": "anna@example.nl",
    "phone": "06 12345678",
    "name": "Anna de Boer",
    "status": "paid",
    "placed_at": "2026-11-01T10:00:00+01:00",
    "total": "129.90",
    "currency": "EUR",
    "lines": [
        {"sku": "JKT-1", "title": "Regenjas", "quantity": 1, "price": "89.95"},
        {"sku": "SCF-2", "title": "Sjaal", "quantity": 1, "price": "39.95"},
    ],
}


def test_a_new_order_creates_its_customer_and_a_repeat_updates_in_place(admin_api):
    created = admin_api.post("/api/v1/orders/", ORDER, format="json")
    assert created.status_code == 201, created.json()
    customer = Customer.objects.get(pk=created.json()["customer"])
    assert customer.name == "Anna de Boer"
    assert sorted(customer.identities.values_list("value", flat=True)) == ["+31612345678", "anna@example.nl"]

    shipped = {
        **ORDER,
        "status": "returned",
        "lines": ORDER["lines"][:1],
        "shipments": [{"carrier": "PostNL", "tracking_number": "3SABC", "status": "delivered"}],
        "returns": [{"status": "received", "reason": "te klein", "lines": ["JKT-1"], "refunded": "89.95"}],
    }
    updated = admin_api.post("/api/v1/orders/", shipped, format="json")
    assert updated.status_code == 200
    body = updated.json()
    assert body["id"] == created.json()["id"]
    assert (body["status"], len(body["lines"]), body["returns"][0]["reason"]) == ("returned", 1, "te klein")
    assert Order.objects.count() == 1
    assert list(TimelineEntry.objects.order_by("id").values_list("kind", flat=True)) == [
        "order_placed",
        "order_updated",
    ]


def test_an_order_attaches_to_the_customer_known_by_phone(admin_api, sanne):
    known = admin_api.post(
        "/api/v1/inbound/api/",
        {"channel": "sms", "from": {"phone": "+31612345678"}, "text": "hoi"},
        format="json",
    ).json()["customer"]
    order = admin_api.post("/api/v1/orders/", {**ORDER, "email": ""}, format="json").json()
    assert order["customer"] == known


@pytest.mark.parametrize(
    "change,field",
    [
        ({"email": "geen-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"placed_at": "gisteren"}, "placed_at"),
        ({"total": "veel"}, "total"),
        ({"source": "Web Shop!"}, "source"),
        ({"customer": 999999, "email": "", "phone": ""}, "customer"),
        ({"store": 999999}, "store"),
    ],
)
def test_bad_orders_get_clear_field_errors(admin_api, change, field):
    response = admin_api.post("/api/v1/orders/", {**ORDER, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Order.objects.count() == 0


def test_order_list_filters_by_customer_and_number(admin_api):
    admin_api.post("/api/v1/orders/", ORDER, format="json")
    assert admin_api.get("/api/v1/orders/?number=100234").json()["count"] == 1
    assert admin_api.get("/api/v1/orders/?number=999").json()["count"] == 0
