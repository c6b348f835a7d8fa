"""Shopify order, fulfillment and refund webhooks: signed, stored, converging on the latest state."""

from __future__ import annotations

import pytest

from channels_integrations.shops.models import DeliveryStatus, WebhookDelivery
from helpdesk.customers.models import Customer, Identity
from helpdesk.orders.models import Order
from tests.channels_integrations.shops.conftest import payload, post_shopify

pytestmark = pytest.mark.django_db


def test_a_signed_order_is_stored_and_creates_its_customer(client, shopify_shop, eager):
    response = post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"), webhook_id="w-1")
    assert response.status_code == 200, response.content
    order = Order.objects.get()
    assert (order.source, order.external_id, order.number) == ("shopify.webshop-nl", "5678901234567", "1042")
    assert (order.status, str(order.total), order.postcode) == ("paid", "129.90", "1016 GV")
    assert [(line.sku, line.title) for line in order.lines.all()] == [
        ("JKT-1-M", "Regenjas – M"),
        ("SCF-2", "Sjaal"),
    ]
    assert order.customer.name == "Anna de Boer"
    assert sorted(order.customer.identities.values_list("value", flat=True)) == [
        "+31612345678",
        "anna@example.nl",
    ]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PROCESSED


def test_an_order_attaches_to_the_customer_known_by_phone(client, shopify_shop, eager):
    known = Customer.objects.create(name="Anna")
    Identity.objects.create(customer=known, kind="phone", value="+31612345678")
    body = payload("shopify_order")
    body["email"] = body["contact_email"] = body["customer"]["email"] = None
    body["phone"] = "06-12345678"
    post_shopify(client, shopify_shop, "orders/create", body)
    assert Order.objects.get().customer == known
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("signature", ["", "Zm9yZ2Vk", "forged-signature"])
def test_forged_or_missing_signature_is_refused_and_nothing_is_stored(client, shopify_shop, eager, signature):
    response = post_shopify(
        client, shopify_shop, "orders/create", payload("shopify_order"), signature=signature
    )
    assert response.status_code == 401
    assert "X-Shopify-Hmac-Sha256" in response.json()["detail"]
    assert (WebhookDelivery.objects.count(), Order.objects.count(), Customer.objects.count()) == (0, 0, 0)


def test_signature_of_another_body_is_refused(client, shopify_shop, eager):
    from channels_integrations.shops import shopify
    from tests.channels_integrations.shops.conftest import SHOPIFY_SECRET

    other = shopify.sign(b'{"id": 1}', SHOPIFY_SECRET)
    assert (
        post_shopify(
            client, shopify_shop, "orders/create", payload("shopify_order"), signature=other
        ).status_code
        == 401
    )
    assert Order.objects.count() == 0


def test_unknown_connection_is_404(client, shopify_shop, woo_shop, eager):
    shopify_shop.slug = "nope"
    assert post_shopify(client, shopify_shop, "orders/create", payload("shopify_order")).status_code == 404
    woo_shop.slug = "webshop-nl"  # a WooCommerce path with a Shopify connection's slug
    shopify_shop.slug = "outlet"
    assert post_shopify(client, shopify_shop, "orders/create", payload("shopify_order")).status_code == 404


def test_malformed_json_is_a_clear_400(client, shopify_shop, eager):
    response = post_shopify(client, shopify_shop, "orders/create", b'{"id": 1,')
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    assert WebhookDelivery.objects.count() == 0


def test_out_of_order_and_repeated_deliveries_end_in_the_latest_state(client, shopify_shop, eager):
    created = payload("shopify_order")
    fulfilled = payload("shopify_order")
    fulfilled.update(
        fulfillment_status="fulfilled",
        updated_at="2026-11-02T09:00:01+01:00",
        fulfillments=[payload("shopify_fulfillment")],
    )
    cancelled = payload("shopify_order")
    cancelled.update(cancelled_at="2026-11-03T12:00:00+01:00", updated_at="2026-11-03T12:00:00+01:00")
    # The newest first, then the older ones late, then a retry of the newest.
    for body, webhook_id in [(cancelled, "w-3"), (created, "w-1"), (fulfilled, "w-2"), (cancelled, "w-3")]:
        assert (
            post_shopify(client, shopify_shop, "orders/updated", body, webhook_id=webhook_id).status_code
            == 200
        )
    order = Order.objects.get()
    assert order.status == "cancelled"
    assert order.shipments.count() == 0
    assert sorted(WebhookDelivery.objects.values_list("status", flat=True)) == ["processed", "stale", "stale"]
    # The same version under a new id is applied again (Shopify stamps whole seconds, so two
    # changes may share one) and changes nothing.
    post_shopify(client, shopify_shop, "orders/updated", cancelled, webhook_id="w-4")
    assert WebhookDelivery.objects.get(delivery_id="w-4").status == DeliveryStatus.PROCESSED
    assert (Order.objects.get().status, Order.objects.get().lines.count()) == ("cancelled", 2)


def test_fulfillment_updates_are_versioned_per_shipment(client, shopify_shop, eager):
    post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"))
    delivered = payload("shopify_fulfillment")
    delivered.update(shipment_status="delivered", updated_at="2026-11-03T14:00:00+01:00")
    post_shopify(client, shopify_shop, "fulfillments/update", delivered)
    post_shopify(client, shopify_shop, "fulfillments/create", payload("shopify_fulfillment"))  # late
    shipment = Order.objects.get().shipments.get()
    assert (shipment.carrier, shipment.tracking_number, shipment.status) == (
        "PostNL",
        "3SABCD1234567",
        "delivered",
    )


def test_a_fulfillment_before_its_order_waits_and_is_applied_when_the_order_comes(
    client, shopify_shop, eager
):
    post_shopify(client, shopify_shop, "fulfillments/create", payload("shopify_fulfillment"))
    assert WebhookDelivery.objects.get().status == DeliveryStatus.WAITING
    post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"))
    assert Order.objects.get().shipments.get().status == "in_transit"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PROCESSED}


def test_a_refund_becomes_a_return_once(client, shopify_shop, eager):
    post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"))
    for _ in range(2):
        post_shopify(client, shopify_shop, "refunds/create", payload("shopify_refund"))
    refund = Order.objects.get().returns.get()
    assert (refund.external_id, refund.reason, str(refund.refunded), refund.lines) == (
        "929361464",
        "te klein",
        "89.95",
        ["JKT-1-M"],
    )


def test_a_topic_we_do_not_use_is_stored_and_ignored(client, shopify_shop, eager):
    response = post_shopify(client, shopify_shop, "products/update", {"id": 1, "title": "Regenjas"})
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, Order.objects.count()) == (DeliveryStatus.IGNORED, 0)


def test_an_unreadable_order_is_kept_as_failed_for_replay(client, shopify_shop, eager):
    response = post_shopify(client, shopify_shop, "orders/create", {"id": 1, "created_at": "gisteren"})
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "gisteren" in delivery.error


def test_a_connection_with_proactive_notices_opens_a_ticket_when_a_fulfillment_is_delayed(
    client, shopify_shop, sanne, eager
):
    from helpdesk.tickets.models import Ticket

    shopify_shop.proactive_notices = True
    shopify_shop.save()
    post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"))
    post_shopify(client, shopify_shop, "fulfillments/create", payload("shopify_fulfillment"))
    delayed = payload("shopify_fulfillment")
    delayed.update(shipment_status="delayed", updated_at="2026-11-03T09:00:00+01:00")
    for _ in range(2):
        post_shopify(client, shopify_shop, "fulfillments/update", delayed)
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.owner, ticket.channel) == ("Order 1042 is delayed", sanne, "email")
    assert list(ticket.orders.values_list("number", flat=True)) == ["1042"]
