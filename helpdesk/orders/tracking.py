"""One normaliser for carrier tracking statuses, whatever system reported them.

Shopify `shipment_status`, WooCommerce tracking plugins, PostNL and DHL status words
(English and Dutch) and generic carrier codes (AfterShip tags, EasyPost statuses) all
land on the small set below, so agents, store staff and the proactive notices speak
about a shipment in the same few plain words. helpdesk.web.shipping turns a state into
those words.
"""

from __future__ import annotations

import re


class TrackingStatus:
    PENDING = "pending"
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    READY_FOR_PICKUP = "available_for_pickup"
    DELAYED = "delayed"
    FAILED_ATTEMPT = "failed_attempt"
    FAILED = "failed"
    DELIVERED = "delivered"
    RETURNED = "returned_to_sender"
    CANCELLED = "cancelled"


S = TrackingStatus
KNOWN = frozenset(v for k, v in vars(TrackingStatus).items() if k.isupper())

# States in which the customer is likely to wonder where the parcel is: a retailer that
# wants to speak first sends a notice when a shipment turns into one of these.
TROUBLE = frozenset({S.DELAYED, S.FAILED_ATTEMPT, S.FAILED})

_EXACT = {
    # Shopify fulfillment shipment_status and fulfillment status
    "label_printed": S.LABEL_CREATED,
    "label_purchased": S.LABEL_CREATED,
    "confirmed": S.LABEL_CREATED,
    "open": S.PENDING,
    "success": S.IN_TRANSIT,
    "attempted_delivery": S.FAILED_ATTEMPT,
    "ready_for_pickup": S.READY_FOR_PICKUP,
    "picked_up": S.IN_TRANSIT,
    "carrier_picked_up": S.IN_TRANSIT,
    "failure": S.FAILED,
    "error": S.FAILED,
    "cancelled": S.CANCELLED,
    "canceled": S.CANCELLED,
    # generic codes (AfterShip tags, EasyPost, DHL unified statusCode)
    "info_received": S.LABEL_CREATED,
    "pre_transit": S.LABEL_CREATED,
    "created": S.LABEL_CREATED,
    "ready_to_ship": S.LABEL_CREATED,
    "label_created": S.LABEL_CREATED,
    "transit": S.IN_TRANSIT,
    "in_transit": S.IN_TRANSIT,
    "shipped": S.IN_TRANSIT,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "attempt_fail": S.FAILED_ATTEMPT,
    "failed_attempt": S.FAILED_ATTEMPT,
    "available_for_pickup": S.READY_FOR_PICKUP,
    "exception": S.FAILED,
    "failed": S.FAILED,
    "delivered": S.DELIVERED,
    "return_to_sender": S.RETURNED,
    "returned_to_sender": S.RETURNED,
    "returned": S.RETURNED,
    "delayed": S.DELAYED,
    "delay": S.DELAYED,
    "expired": S.FAILED,
    "pending": S.PENDING,
    "unknown": S.PENDING,
}

# Free-text carrier words, tried in order: the more specific phrase first ("not
# delivered" before "delivered").
_WORDS: list[tuple[str, str]] = [
    (r"retour|return(ed)? to sender|returned|terug naar afzender", S.RETURNED),
    (r"niet (thuis|bezorgd)|not (home|delivered)|attempt|geen gehoor|bezorgpoging", S.FAILED_ATTEMPT),
    (r"vertraag|delay|later dan verwacht|later than expected", S.DELAYED),
    (r"afhaalpunt|pick.?up point|servicepoint|ophalen|collect", S.READY_FOR_PICKUP),
    (r"is bezorgd|afgeleverd|delivered|bezorgd", S.DELIVERED),
    (r"bezorger is onderweg|out for delivery|wordt vandaag bezorgd", S.OUT_FOR_DELIVERY),
    (
        r"onderweg|in transit|transit|sorteercentrum|gesorteerd|sorted|departed|arrived|shipped|"
        r"verzonden|ontvangen door|received by",
        S.IN_TRANSIT,
    ),
    (r"voorgemeld|aangemeld|label|pre.?advi[cs]e|information received", S.LABEL_CREATED),
    (r"probleem|problem|exception|fout|damaged|beschadigd|lost|verloren|kwijt", S.FAILED),
]


def _key(raw: str) -> str:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", raw.strip())  # AfterShip "InTransit"
    return re.sub(r"[\s\-]+", "_", spaced.lower())


def normalise_tracking(raw: str | None) -> str:
    """The state of the small set this carrier status means, or its cleaned key if unknown."""
    if not raw or not raw.strip():
        return S.PENDING
    key = _key(raw)
    if key in _EXACT:
        return _EXACT[key]
    lowered = raw.lower()
    for pattern, state in _WORDS:
        if re.search(pattern, lowered):
            return state
    return key[:32]
