"""Carrier tracking statuses in the words a customer would use on the phone.

Statuses are first normalised by helpdesk.orders.tracking (one normaliser for Shopify,
WooCommerce, PostNL/DHL words and generic carrier codes); this module only says them.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.orders.tracking import normalise_tracking


@dataclass(frozen=True)
class TrackingState:
    words: str
    # "ok", "warn" or "" (neutral): how the badge looks, never the only signal.
    tone: str = ""


_STATES = {
    "pending": TrackingState("waiting to ship"),
    "created": TrackingState("waiting to ship"),
    "label_created": TrackingState("waiting to ship"),
    "ready_to_ship": TrackingState("waiting to ship"),
    "picked_up": TrackingState("on its way"),
    "shipped": TrackingState("on its way"),
    "in_transit": TrackingState("on its way"),
    "out_for_delivery": TrackingState("out for delivery today"),
    "available_for_pickup": TrackingState("ready to pick up", "ok"),
    "delayed": TrackingState("delayed", "warn"),
    "exception": TrackingState("delayed: the carrier reports a problem", "warn"),
    "failed": TrackingState("delivery failed", "warn"),
    "failed_attempt": TrackingState("delivery attempt failed", "warn"),
    "delivered": TrackingState("delivered", "ok"),
    "returned_to_sender": TrackingState("returned to sender", "warn"),
    "lost": TrackingState("lost by the carrier", "warn"),
    "cancelled": TrackingState("shipment cancelled"),
}


def tracking_state(status: str) -> TrackingState:
    """Known statuses in plain words; an unknown one as the carrier wrote it, de-underscored."""
    key = (status or "").strip().lower().replace("-", "_").replace(" ", "_")
    known = _STATES.get(key) or (_STATES.get(normalise_tracking(status)) if key else None)
    return known or TrackingState((status or "unknown").replace("_", " "))
