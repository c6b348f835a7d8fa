"""Carrier statuses in the words an agent can say to a customer."""

from __future__ import annotations

import pytest

from helpdesk.web.shipping import tracking_state


@pytest.mark.parametrize(
    ("status", "words", "tone"),
    [
        ("pending", "waiting to ship", ""),
        ("label_created", "waiting to ship", ""),
        ("in_transit", "on its way", ""),
        ("out_for_delivery", "out for delivery today", ""),
        ("delayed", "delayed", "warn"),
        ("exception", "delayed: the carrier reports a problem", "warn"),
        ("failed", "delivery failed", "warn"),
        ("delivered", "delivered", "ok"),
        ("returned_to_sender", "returned to sender", "warn"),
        ("In-Transit", "on its way", ""),
        ("held_at_customs", "held at customs", ""),
        ("", "unknown", ""),
    ],
)
def test_statuses_in_plain_words(status, words, tone):
    state = tracking_state(status)
    assert (state.words, state.tone) == (words, tone)
