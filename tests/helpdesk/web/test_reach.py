"""Store staff see their store's tickets and their own; anything else answers 404, everywhere."""

from __future__ import annotations

import pytest

from helpdesk.tickets.models import Message, Ticket
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(store, other_store, daan):
    here = contact("instore", phone="+31611111111", store_id=store.pk, text="Hier in de winkel").ticket_id
    there = contact("instore", phone="+31622222222", store_id=other_store.pk, text="Andere winkel").ticket_id
    web = contact("email", email="web@example.nl", subject="Webwinkel", text="Online vraag").ticket_id
    owned = contact("email", email="eigen@example.nl", subject="Van Daan", text="Daan helpt").ticket_id
    Ticket.objects.filter(pk=owned).update(owner=daan)
    return {"here": here, "there": there, "web": web, "owned": owned}


def test_store_staff_inbox_holds_only_their_reach(web_as, daan, tickets):
    response = web_as(daan).get("/inbox/?view=all")
    assert {t.pk for t in response.context["tickets"]} == {tickets["here"], tickets["owned"]}
    assert response.context["counts"]["all"] == 2
    rows = web_as(daan).get("/inbox/rows/?view=all").json()["rows"]
    assert f'data-ticket="{tickets["there"]}"' not in rows


@pytest.mark.parametrize("name", ["here", "owned"])
def test_store_staff_open_tickets_in_reach(web_as, daan, tickets, name):
    assert web_as(daan).get(f"/tickets/{tickets[name]}/").status_code == 200


@pytest.mark.parametrize("name", ["there", "web"])
def test_tickets_out_of_reach_answer_404_on_every_page(web_as, daan, tickets, name):
    client = web_as(daan)
    pk = tickets[name]
    page = client.get(f"/tickets/{pk}/")
    assert page.status_code == 404
    assert "No such ticket" in page.content.decode()
    assert client.get(f"/tickets/{pk}/live/").status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("claim", {}),
        ("assign", {"owner": "", "note": "over"}),
        ("status", {"status": "solved"}),
        ("note", {"text": "stiekem"}),
        ("reply", {"text": "hallo", "seen_at": "2026-01-01T00:00:00+00:00"}),
        ("orders", {"order": "1"}),
    ],
)
def test_actions_on_tickets_out_of_reach_answer_404_and_change_nothing(web_as, daan, tickets, action, data):
    pk = tickets["there"]
    before = Ticket.objects.values("owner_id", "status", "updated_at").get(pk=pk)
    messages = Message.objects.filter(ticket_id=pk).count()
    response = web_as(daan).post(f"/tickets/{pk}/{action}/", data)
    assert response.status_code == 404
    assert Ticket.objects.values("owner_id", "status", "updated_at").get(pk=pk) == before
    assert Message.objects.filter(ticket_id=pk).count() == messages


def test_a_missing_ticket_is_a_404_page_for_agents_too(web_as, sanne, db):
    assert web_as(sanne).get("/tickets/999999/").status_code == 404


def test_the_customer_filter_does_not_reveal_names_out_of_reach(web_as, daan, tickets):
    customer_id = Ticket.objects.get(pk=tickets["there"]).customer_id
    response = web_as(daan).get(f"/inbox/?customer={customer_id}")
    assert response.context.get("customer") is None
    assert list(response.context["tickets"]) == []


def test_a_store_ticket_a_colleague_also_staffs_is_listed_and_counted_once(web_as, daan, store, tickets):
    from tests.factories import UserFactory

    UserFactory(username="eva", role="store_staff").stores.add(store)
    Ticket.objects.filter(pk=tickets["here"]).update(owner=daan)
    response = web_as(daan).get("/inbox/?view=all")
    listed = [t.pk for t in response.context["tickets"]]
    assert sorted(listed) == sorted({tickets["here"], tickets["owned"]})
    assert response.context["counts"]["all"] == 2
    assert response.context["counts"]["mine"] == 2
