"""One normaliser for Shopify, WooCommerce, PostNL/DHL words and generic carrier codes."""

from __future__ import annotations

import pytest

from helpdesk.orders.tracking import normalise_tracking
from helpdesk.web.shipping import tracking_state


@pytest.mark.parametrize(
    ("raw", "state", "words"),
    [
        # Shopify fulfillment shipment_status / status
        ("label_printed", "label_created", "waiting to ship"),
        ("confirmed", "label_created", "waiting to ship"),
        ("in_transit", "in_transit", "on its way"),
        ("out_for_delivery", "out_for_delivery", "out for delivery today"),
        ("attempted_delivery", "failed_attempt", "delivery attempt failed"),
        ("ready_for_pickup", "available_for_pickup", "ready to pick up"),
        ("delayed", "delayed", "delayed"),
        ("failure", "failed", "delivery failed"),
        ("delivered", "delivered", "delivered"),
        ("success", "in_transit", "on its way"),
        # generic codes: AfterShip tags, EasyPost, DHL
        ("InfoReceived", "label_created", "waiting to ship"),
        ("InTransit", "in_transit", "on its way"),
        ("AttemptFail", "failed_attempt", "delivery attempt failed"),
        ("return_to_sender", "returned_to_sender", "returned to sender"),
        ("pre-transit", "label_created", "waiting to ship"),
        ("transit", "in_transit", "on its way"),
        # PostNL / DHL words, Dutch and English
        ("Zending is voorgemeld", "label_created", "waiting to ship"),
        ("Zending is gesorteerd", "in_transit", "on its way"),
        ("De bezorger is onderweg", "out_for_delivery", "out for delivery today"),
        ("Zending is vertraagd", "delayed", "delayed"),
        ("Niet thuis, tweede bezorgpoging morgen", "failed_attempt", "delivery attempt failed"),
        ("Zending is bezorgd", "delivered", "delivered"),
        ("Retour afzender", "returned_to_sender", "returned to sender"),
        ("The shipment has been delivered", "delivered", "delivered"),
        ("Shipment delayed due to weather", "delayed", "delayed"),
        ("", "pending", "waiting to ship"),
    ],
)
def test_carrier_statuses_land_on_one_small_set(raw, state, words):
    assert normalise_tracking(raw) == state
    assert tracking_state(state).words == words
