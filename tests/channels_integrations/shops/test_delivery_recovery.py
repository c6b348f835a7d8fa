"""A delivery the shop was told 200 for always ends processed or failed with its reason."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from channels_integrations.shops import services
from channels_integrations.shops.models import DeliveryStatus, WebhookDelivery
from channels_integrations.shops.tasks import requeue_stuck_deliveries
from helpdesk.orders.models import Order
from tests.channels_integrations.shops.conftest import committed, payload, post_shopify

pytestmark = pytest.mark.django_db


def test_a_retry_with_the_same_webhook_id_queues_a_delivery_that_was_never_queued(
    client, shopify_shop, eager
):
    # The first request stored the delivery, but its queueing was lost after commit.
    first = post_shopify(
        client, shopify_shop, "orders/create", payload("shopify_order"), webhook_id="w-1", queued=False
    )
    assert first.status_code == 200
    assert WebhookDelivery.objects.get().status == DeliveryStatus.RECEIVED
    # The shop's retry carries the same id: answered as a duplicate, and processed now.
    retry = post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"), webhook_id="w-1")
    assert retry.json() == {"delivery": first.json()["delivery"], "duplicate": True}
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PROCESSED
    assert Order.objects.get().number == "1042"


def _odd_order(change: str) -> dict:
    body = payload("shopify_order")
    if change == "nul":
        body["customer"]["first_name"] = "An\u0000na"
    elif change == "overflow":
        body["total_price"] = "1e20"
    return body


@pytest.mark.parametrize("change", ["nul", "overflow"])
def test_a_delivery_the_database_refuses_is_failed_with_its_reason_and_the_next_one_works(
    client, shopify_shop, eager, change
):
    response = post_shopify(client, shopify_shop, "orders/create", _odd_order(change), webhook_id="odd")
    assert response.status_code == 200
    odd = WebhookDelivery.objects.get(delivery_id="odd")
    assert odd.status == DeliveryStatus.FAILED and odd.error and odd.processed_at
    assert Order.objects.count() == 0
    good = payload("shopify_order")
    post_shopify(client, shopify_shop, "orders/create", good, webhook_id="good")
    assert WebhookDelivery.objects.get(delivery_id="good").status == DeliveryStatus.PROCESSED
    assert Order.objects.count() == 1


def test_a_body_with_a_byte_order_mark_is_stored_without_it_and_processed(client, shopify_shop, eager):
    raw = b"\xef\xbb\xbf" + json.dumps(payload("shopify_order")).encode()
    assert post_shopify(client, shopify_shop, "orders/create", raw).status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PROCESSED and delivery.body.startswith("{")


def test_a_body_that_is_not_utf8_is_a_clear_400(client, shopify_shop, eager):
    response = post_shopify(client, shopify_shop, "orders/create", b'{"name": "Ren\xe9e"}')
    assert response.status_code == 400 and "UTF-8" in response.json()["detail"]
    assert WebhookDelivery.objects.count() == 0


def test_a_signature_header_with_non_ascii_characters_is_refused_not_a_crash(client, shopify_shop, eager):
    response = post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"), signature="é=")
    assert response.status_code == 401
    assert WebhookDelivery.objects.count() == 0


def test_the_sweeper_queues_deliveries_left_received(client, shopify_shop, eager):
    assert "requeue-shop-deliveries" in settings.CELERY_BEAT_SCHEDULE
    post_shopify(client, shopify_shop, "orders/create", payload("shopify_order"), queued=False)
    with committed():
        assert requeue_stuck_deliveries.apply().get() == 0  # too recent: its task may still run
    later = timezone.now() + settings.SHOP_DELIVERY_REQUEUE_AFTER + timedelta(minutes=1)
    with time_machine.travel(later), committed():
        assert requeue_stuck_deliveries.apply().get() == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PROCESSED
    assert Order.objects.count() == 1
    with time_machine.travel(later), committed():
        assert requeue_stuck_deliveries.apply().get() == 0


@pytest.mark.django_db(transaction=True)
def test_a_fulfillment_that_commits_waiting_after_its_order_replayed_is_still_applied(shopify_shop):
    """The race: the fulfillment finds no order, the order commits and replays the waiting
    ones (none yet), then the fulfillment commits 'waiting'. It must not wait forever."""
    fulfillment = WebhookDelivery.objects.create(
        connection=shopify_shop, topic="fulfillments/create", body=json.dumps(payload("shopify_fulfillment"))
    )
    order = WebhookDelivery.objects.create(
        connection=shopify_shop, topic="orders/create", body=json.dumps(payload("shopify_order"))
    )
    table = WebhookDelivery._meta.db_table
    with connection.cursor() as cursor:
        # Test-only: a fulfillment about to commit 'waiting' stops until the test lets it go.
        cursor.execute(
            "CREATE FUNCTION test_hold_waiting() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_hold_waiting BEFORE UPDATE ON {table} FOR EACH ROW "
            "WHEN (NEW.status = 'waiting') EXECUTE FUNCTION test_hold_waiting()"
        )
        cursor.execute("SELECT pg_advisory_lock(4242)")
    results: list[str] = []

    def process_fulfillment() -> None:
        try:
            results.append(services.delivery_process(fulfillment.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=process_fulfillment)
    try:
        worker.start()
        _wait_until_blocked_on_the_hold()
        assert services.delivery_process(order.pk) == DeliveryStatus.PROCESSED
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(4242)")
        worker.join()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
            cursor.execute(f"DROP TRIGGER IF EXISTS test_hold_waiting ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_hold_waiting()")
        worker.join()
    assert results == [DeliveryStatus.PROCESSED]
    fulfillment.refresh_from_db()
    assert fulfillment.status == DeliveryStatus.PROCESSED
    assert Order.objects.get().shipments.get().tracking_number == "3SABCD1234567"


def _wait_until_blocked_on_the_hold() -> None:
    for _ in range(3000):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    raise AssertionError("the fulfillment never reached its commit")
