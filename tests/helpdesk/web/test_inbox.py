"""The inbox: views, their counts (one query), filters, SLA due soon, and the live rows partial."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpdesk.tickets.models import Ticket
from helpdesk.web.forms import InboxFilterForm
from helpdesk.web.selectors import inbox_counts
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(sanne, pieter, store, service_team):
    """Sanne owns an email ticket, Pieter a WhatsApp one, one urgent SMS ticket has no owner,
    a store ticket, and a solved ticket."""
    mine = Ticket.objects.get(
        pk=contact("email", email="anna@example.nl", name="Anna", subject="Jas te klein").ticket_id
    )
    Ticket.objects.filter(pk=mine.pk).update(owner=sanne)
    his = Ticket.objects.get(
        pk=contact("whatsapp", phone="+31611111111", handle="31611111111", subject="Pakket kwijt").ticket_id
    )
    Ticket.objects.filter(pk=his.pk).update(owner=pieter)
    nobodys = Ticket.objects.get(pk=contact("sms", phone="+31622222222", text="Retour?").ticket_id)
    Ticket.objects.filter(pk=nobodys.pk).update(owner=None, priority="urgent", team=None)
    counter = Ticket.objects.get(
        pk=contact("instore", phone="+31633333333", store_id=store.pk, text="Ruilen in de winkel").ticket_id
    )
    Ticket.objects.filter(pk=counter.pk).update(owner=pieter)
    solved = Ticket.objects.get(pk=contact("email", email="done@example.nl", text="Dank!").ticket_id)
    Ticket.objects.filter(pk=solved.pk).update(status="solved", owner=sanne)
    return {"mine": mine.pk, "his": his.pk, "nobodys": nobodys.pk, "counter": counter.pk, "solved": solved.pk}


def listed(response) -> list[int]:
    return [ticket.pk for ticket in response.context["tickets"]]


def test_the_inbox_lists_open_tickets_newest_first_with_the_row_columns(web_as, sanne, inbox):
    response = web_as(sanne).get("/inbox/")
    assert response.status_code == 200
    assert set(listed(response)) == {inbox["mine"], inbox["his"], inbox["nobodys"], inbox["counter"]}
    updated = [t.updated_at for t in response.context["tickets"]]
    assert updated == sorted(updated, reverse=True)
    html = response.content.decode()
    for text in (
        "Anna",
        "Jas te klein",
        "Email",
        "WhatsApp",
        "Sanne de Vries",
        "Pieter Bakker",
        "Unassigned",
        "Urgent",
        "First reply",
        f'data-ticket="{inbox["nobodys"]}"',
    ):
        assert text in html
    assert 'aria-current="page"' in html


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("mine", {"mine"}),
        ("unassigned", {"nobodys"}),
        ("team", {"mine", "his", "counter"}),
        ("all", {"mine", "his", "nobodys", "counter"}),
    ],
)
def test_each_view_holds_its_tickets(web_as, sanne, inbox, view, expected):
    response = web_as(sanne).get(f"/inbox/?view={view}")
    assert set(listed(response)) == {inbox[name] for name in expected}


def test_counts_per_view_come_from_one_query_and_follow_the_filters(sanne, inbox):
    form = InboxFilterForm({})
    with CaptureQueriesContext(connection) as captured:
        counts = inbox_counts(sanne, form.filters(), now=timezone.now())
    assert len(captured) == 1
    assert counts == {"mine": 1, "unassigned": 1, "team": 3, "store": 0, "all": 4}
    email_only = inbox_counts(sanne, InboxFilterForm({"channel": "email"}).filters(), now=timezone.now())
    assert email_only == {"mine": 1, "unassigned": 0, "team": 1, "store": 0, "all": 1}


def test_views_show_their_counts_and_only_the_views_that_apply(web_as, sanne, daan, inbox):
    response = web_as(sanne).get("/inbox/")
    views = {v["key"]: v["count"] for v in response.context["views"]}
    assert views == {"mine": 1, "unassigned": 1, "team": 3, "all": 4}  # Sanne has no store
    staff_views = {v["key"] for v in web_as(daan).get("/inbox/").context["views"]}
    assert staff_views == {"mine", "unassigned", "store", "all"}  # Daan has a store, no team


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("channel=whatsapp", {"his"}),
        ("priority=urgent", {"nobodys"}),
        ("status=solved", {"solved"}),
        ("status=any&channel=email", {"mine", "solved"}),
        ("channel=nonsense", {"mine", "his", "nobodys", "counter"}),  # an invalid filter is ignored
    ],
)
def test_filters_by_channel_status_and_priority(web_as, sanne, inbox, query, expected):
    response = web_as(sanne).get(f"/inbox/?{query}")
    assert response.status_code == 200
    assert set(listed(response)) == {inbox[name] for name in expected}


def test_sla_due_soon_means_a_target_within_the_hour_that_is_not_met(web_as, sanne, inbox):
    now = timezone.now()
    Ticket.objects.update(first_response_due=now + timedelta(hours=5), resolution_due=now + timedelta(days=2))
    Ticket.objects.filter(pk=inbox["mine"]).update(first_response_due=now + timedelta(minutes=30))
    Ticket.objects.filter(pk=inbox["his"]).update(resolution_due=now - timedelta(minutes=5))  # overdue
    # Due soon, but already answered: the first-response target is met.
    Ticket.objects.filter(pk=inbox["counter"]).update(
        first_response_due=now + timedelta(minutes=10), first_response_at=now
    )
    # Due soon, but solved.
    Ticket.objects.filter(pk=inbox["solved"]).update(first_response_due=now + timedelta(minutes=10))
    response = web_as(sanne).get("/inbox/?sla=on&status=any")
    assert set(listed(response)) == {inbox["mine"], inbox["his"]}
    assert response.context["counts"]["all"] == 2
    html = response.content.decode()
    assert "sla-soon" in html and "sla-overdue" in html


def test_the_rows_partial_answers_the_same_query_as_json(web_as, sanne, inbox):
    response = web_as(sanne).get("/inbox/rows/?view=mine")
    assert response.status_code == 200
    data = response.json()
    assert data["counts"]["mine"] == 1
    assert f'data-ticket="{inbox["mine"]}"' in data["rows"]
    assert f'data-ticket="{inbox["his"]}"' not in data["rows"]
    assert "<html" not in data["rows"]


def test_the_inbox_pages_through_long_lists(web_as, sanne, db):
    for i in range(53):
        contact("email", email=f"klant{i}@example.nl", text=f"vraag {i}")
    first = web_as(sanne).get("/inbox/")
    assert len(first.context["tickets"]) == 50
    assert first.context["older_query"] == "page=2"
    second = web_as(sanne).get("/inbox/?page=2")
    assert len(second.context["tickets"]) == 3
    assert not set(listed(first)) & set(listed(second))


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/inbox/"
    assert client.get("/inbox/rows/").status_code == 302
