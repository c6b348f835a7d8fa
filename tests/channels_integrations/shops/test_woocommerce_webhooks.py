"""WooCommerce order webhooks: signed, pinged, converging on the latest date_modified."""

from __future__ import annotations

import pytest

from channels_integrations.shops.models import WebhookDelivery
from helpdesk.customers.models import Customer, Identity
from helpdesk.orders.models import Order
from tests.channels_integrations.shops.conftest import committed, payload, post_woo

pytestmark = pytest.mark.django_db


def test_a_signed_order_is_stored_for_the_customer_known_by_phone(client, woo_shop, eager):
    known = Customer.objects.create(name="Joost")
    Identity.objects.create(customer=known, kind="phone", value="+31687654321")
    response = post_woo(client, woo_shop, "order.created", payload("woocommerce_order"), delivery_id="d-1")
    assert response.status_code == 200, response.content
    order = Order.objects.get()
    assert (order.source, order.external_id, order.number, order.status) == (
        "woocommerce.outlet",
        "727",
        "727",
        "paid",
    )
    assert (order.customer, str(order.total), order.postcode) == (known, "54.90", "3511 AP")
    assert order.placed_at.isoformat() == "2026-11-01T10:00:00+00:00"
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [("HAT-7", 2)]
    # The email became a second identity of the same customer.
    assert Identity.objects.filter(customer=known, kind="email", value="joost@example.nl").exists()


@pytest.mark.parametrize("signature", ["Zm9yZ2Vk", "ÿé=="])
def test_forged_signature_is_refused_and_nothing_is_stored(client, woo_shop, eager, signature):
    response = post_woo(client, woo_shop, "order.created", payload("woocommerce_order"), signature=signature)
    assert response.status_code == 401
    assert (WebhookDelivery.objects.count(), Order.objects.count()) == (0, 0)


def test_the_unsigned_ping_on_webhook_creation_is_answered_and_not_stored(client, woo_shop):
    with committed():
        response = client.post(
            f"/shops/{woo_shop.pk}/woocommerce/webhook/",
            b"webhook_id=12",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 200
    assert WebhookDelivery.objects.count() == 0


def test_out_of_order_updates_end_in_the_latest_state_with_tracking_and_refund(client, woo_shop, eager):
    first = payload("woocommerce_order")
    completed = payload("woocommerce_order")
    completed.update(status="completed", date_modified_gmt="2026-11-02T08:00:00")
    completed["meta_data"].append(
        {
            "id": 13200,
            "key": "_wc_shipment_tracking_items",
            "value": [
                {
                    "tracking_provider": "PostNL",
                    "custom_tracking_provider": "",
                    "tracking_number": "3SXYZ987",
                    "date_shipped": "1793606400",
                    "tracking_id": "a1b2c3",
                }
            ],
        }
    )
    refunded = payload("woocommerce_order")
    refunded.update(
        status="refunded",
        date_modified_gmt="2026-11-04T08:00:00",
        refunds=[{"id": 730, "reason": "Past niet", "total": "-54.90"}],
    )
    refunded["meta_data"] = completed["meta_data"]
    for body in (refunded, first, completed, refunded):
        assert post_woo(client, woo_shop, "order.updated", body).status_code == 200
    order = Order.objects.get()
    assert order.status == "refunded"
    assert [(s.carrier, s.tracking_number, s.status) for s in order.shipments.all()] == [
        ("PostNL", "3SXYZ987", "in_transit")
    ]
    assert [(r.reason, str(r.refunded)) for r in order.returns.all()] == [("Past niet", "54.90")]


def test_malformed_json_is_a_clear_400(client, woo_shop, eager):
    response = post_woo(client, woo_shop, "order.created", b"<html>")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_a_connection_without_its_secret_in_the_environment_refuses(client, woo_shop, monkeypatch, eager):
    monkeypatch.delenv("WOO_WEBHOOK_SECRET")
    response = post_woo(client, woo_shop, "order.created", payload("woocommerce_order"))
    assert response.status_code == 503
    assert WebhookDelivery.objects.count() == 0
