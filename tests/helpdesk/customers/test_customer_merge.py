"""Two customers that turn out to be one person become one, history and all."""

from __future__ import annotations

import pytest

from helpdesk.customers.models import Customer, Identity
from helpdesk.orders.models import Order
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeline.models import TimelineEntry
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def test_merge_leaves_one_customer_with_everything(api_as, admin_api, sanne):
    anna = contact("email", email="anna@example.nl", name="Anna").customer_id
    anna_phone = contact("sms", phone="+31612345678").customer_id
    admin_api.post(
        "/api/v1/orders/",
        {
            "source": "webshop",
            "external_id": "o1",
            "number": "1001",
            "phone": "+31612345678",
            "placed_at": "2026-11-01T10:00:00Z",
        },
        format="json",
    )
    entries_before = TimelineEntry.objects.count()

    response = api_as(sanne).post(f"/api/v1/customers/{anna}/merge/", {"other": anna_phone}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == anna
    for model in (Identity, Ticket, Message, Order):
        assert set(model.objects.values_list("customer_id", flat=True)) == {anna}
    assert Identity.objects.filter(customer_id=anna).count() == 2
    assert TimelineEntry.objects.filter(customer_id=anna).count() == entries_before + 1
    assert Customer.objects.get(pk=anna_phone).merged_into_id == anna

    pointer = api_as(sanne).get(f"/api/v1/customers/{anna_phone}/")
    assert pointer.status_code == 301
    assert pointer.json()["merged_into"] == anna
    assert pointer["Location"] == f"/api/v1/customers/{anna}/"
    assert api_as(sanne).get(f"/api/v1/customers/{anna_phone}/timeline/")["Location"] == (
        f"/api/v1/customers/{anna}/timeline/"
    )

    later = contact("sms", phone="+31612345678")
    assert later.customer_id == anna


def test_merging_a_customer_into_itself_or_twice_is_refused(api_as, sanne):
    anna = contact("email", email="anna@example.nl").customer_id
    bram = contact("email", email="bram@example.nl").customer_id
    api = api_as(sanne)
    assert api.post(f"/api/v1/customers/{anna}/merge/", {"other": anna}, format="json").status_code == 400
    assert api.post(f"/api/v1/customers/{anna}/merge/", {"other": bram}, format="json").status_code == 200
    again = api.post(f"/api/v1/customers/{anna}/merge/", {"other": bram}, format="json")
    assert again.status_code == 400
    assert "already merged" in again.json()["detail"]


def test_profile_shows_identities_open_tickets_orders_and_merge_suggestions(api_as, admin_api, sanne):
    anna = contact("email", email="anna@example.nl", name="Anna").customer_id
    bram = contact("sms", phone="+31687654321").customer_id
    contact("email", email="anna@example.nl", phone="+31687654321")
    admin_api.post(
        "/api/v1/orders/",
        {
            "source": "webshop",
            "external_id": "o9",
            "number": "1009",
            "email": "anna@example.nl",
            "placed_at": "2026-11-01T10:00:00Z",
        },
        format="json",
    )
    profile = api_as(sanne).get(f"/api/v1/customers/{anna}/").json()
    assert profile["name"] == "Anna"
    assert [i["kind"] for i in profile["identities"]] == ["email"]
    assert len(profile["open_tickets"]) == 1
    assert [o["number"] for o in profile["recent_orders"]] == ["1009"]
    assert profile["merge_suggestions"][0]["other"] == bram
