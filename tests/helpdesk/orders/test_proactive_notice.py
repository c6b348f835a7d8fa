"""A shipment turning delayed opens one ticket for the previous owner, with a drafted message."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import TestCase
from django.utils import timezone

from helpdesk.celery import app as celery_app
from helpdesk.orders.models import Order, ShipmentNotice
from helpdesk.tickets.models import Direction, Message, Ticket
from helpdesk.tickets.services import ticket_claim

pytestmark = pytest.mark.django_db

ORDER = {
    "source": "webshop",
    "external_id": "ws-5001",
    "number": "5001",
    "phone": "06 12345678",
    "name": "Anna de Boer",
    "status": "shipped",
    "placed_at": "2026-11-01T10:00:00+01:00",
    "total": "89.95",
    "lines": [{"sku": "JKT-1", "title": "Regenjas", "quantity": 1, "price": "89.95"}],
}


def _shipment(status: str, at: str) -> dict:
    return {"carrier": "PostNL", "tracking_number": "3SABC123", "status": status, "updated_at": at}


@pytest.fixture
def notices_on(settings):
    settings.PROACTIVE_SHIPPING_NOTICES = True
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _upsert(api, shipment: dict | list[dict], at: str):
    shipments = shipment if isinstance(shipment, list) else [shipment]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api.post(
            "/api/v1/orders/", {**ORDER, "updated_at": at, "shipments": shipments}, format="json"
        )
    assert response.status_code in (200, 201), response.json()
    return response


def test_delayed_shipment_opens_one_ticket_for_the_previous_owner(admin_api, sanne, pieter, notices_on):
    with TestCase.captureOnCommitCallbacks(execute=True):
        contact = admin_api.post(
            "/api/v1/inbound/api/",
            {"channel": "whatsapp", "from": {"phone": "+31612345678"}, "text": "Hoi, waar blijft mijn jas?"},
            format="json",
        ).json()
    earlier = Ticket.objects.get(pk=contact["ticket"])
    if earlier.owner_id != sanne.pk:
        Ticket.objects.filter(pk=earlier.pk).update(owner=None)
        ticket_claim(ticket_id=earlier.pk, agent=sanne)

    _upsert(admin_api, _shipment("in_transit", "2026-11-02T09:00:00+01:00"), "2026-11-02T09:00:00+01:00")
    assert Ticket.objects.count() == 1
    # The carrier's Dutch words for a delay.
    _upsert(
        admin_api, _shipment("Zending is vertraagd", "2026-11-03T09:00:00+01:00"), "2026-11-03T09:00:00+01:00"
    )

    notice = Ticket.objects.exclude(pk=earlier.pk).get()
    order = Order.objects.get()
    assert notice.owner == sanne
    assert notice.customer_id == order.customer_id == earlier.customer_id
    assert list(notice.orders.all()) == [order]
    assert notice.subject == "Order 5001 is delayed"
    draft = Message.objects.get(ticket=notice)
    assert draft.direction == Direction.NOTE and draft.author is None
    assert "Draft message to send on WhatsApp" in draft.text and "order 5001 is taking longer" in draft.text
    assert "3SABC123" in draft.text

    # A second delayed update, and a repeat of the first: nothing more.
    _upsert(admin_api, _shipment("delayed", "2026-11-04T09:00:00+01:00"), "2026-11-04T09:00:00+01:00")
    _upsert(
        admin_api, _shipment("Zending is vertraagd", "2026-11-03T09:00:00+01:00"), "2026-11-03T09:00:00+01:00"
    )
    assert Ticket.objects.count() == 2
    assert ShipmentNotice.objects.count() == 1
    assert order.shipments.get().carrier_status == "delayed"


def test_no_notice_when_the_retailer_has_not_turned_them_on(admin_api, sanne):
    celery_app.conf.task_always_eager, before = True, celery_app.conf.task_always_eager
    try:
        _upsert(admin_api, _shipment("delayed", "2026-11-03T09:00:00+01:00"), "2026-11-03T09:00:00+01:00")
    finally:
        celery_app.conf.task_always_eager = before
    assert Ticket.objects.count() == 0


def test_a_failed_attempt_for_a_new_customer_goes_to_the_team(admin_api, sanne, notices_on):
    with time_machine.travel(datetime.fromisoformat("2026-11-03T10:00:00+01:00")):
        _upsert(admin_api, _shipment("AttemptFail", "2026-11-03T09:00:00+01:00"), "2026-11-03T09:00:00+01:00")
    ticket = Ticket.objects.get()
    assert ticket.team is not None and ticket.owner == sanne  # the team's least-loaded agent
    assert ticket.subject == "Order 5001: delivery attempt failed"
    assert ticket.channel == "whatsapp"  # the first channel that reaches a phone number


def test_a_parcel_without_tracking_number_upserted_three_times_opens_one_ticket(admin_api, sanne, notices_on):
    """Carriers and shops often report a delay before there is a tracking number."""
    at = timezone.now().isoformat()
    untracked = {"carrier": "PostNL", "status": "delayed", "updated_at": at}
    for _ in range(3):
        _upsert(admin_api, untracked, at)
    order = Order.objects.get()
    shipment = order.shipments.get()
    assert Ticket.objects.count() == 1
    assert ShipmentNotice.objects.get().shipment == shipment
    # The parcel gets its number later: the same row, the notice stays, no second ticket.
    later = (timezone.now() + timedelta(minutes=5)).isoformat()
    _upsert(admin_api, {**untracked, "tracking_number": "3SXYZ987", "updated_at": later}, later)
    assert list(order.shipments.values_list("pk", "tracking_number")) == [(shipment.pk, "3SXYZ987")]
    assert (Ticket.objects.count(), ShipmentNotice.objects.count()) == (1, 1)


def test_two_untracked_parcels_of_one_order_keep_their_own_rows(admin_api, sanne, notices_on):
    at = timezone.now().isoformat()
    parcels = [
        {"carrier": "PostNL", "status": "in_transit", "updated_at": at},
        {"carrier": "PostNL", "status": "delayed", "updated_at": at},
    ]
    for _ in range(2):
        _upsert(admin_api, parcels, at)
    assert list(Order.objects.get().shipments.values_list("status", flat=True)) == ["in_transit", "delayed"]
    assert Ticket.objects.count() == 1


def test_a_delay_long_past_when_first_seen_opens_nothing_but_a_later_change_does(
    admin_api, sanne, notices_on, settings
):
    """A first import of old orders is history, not news (PROACTIVE_NOTICE_MAX_AGE)."""
    old = (timezone.now() - settings.PROACTIVE_NOTICE_MAX_AGE - timedelta(hours=1)).isoformat()
    _upsert(admin_api, _shipment("delayed", old), old)
    assert Ticket.objects.count() == 0
    now = timezone.now().isoformat()
    _upsert(admin_api, _shipment("AttemptFail", now), now)
    assert Ticket.objects.get().subject == "Order 5001: delivery attempt failed"
