"""Every endpoint's roles: refused roles get 403, objects out of reach 404, strangers 401."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from helpdesk.tickets.models import Ticket
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(sanne, store, other_store):
    here = contact("instore", phone="+31611111111", store_id=store.pk, text="Retour jas")
    there = contact("instore", phone="+31622222222", store_id=other_store.pk, text="Klacht")
    web = contact("email", email="web@example.nl", text="Waar is mijn pakket?")
    return {
        name: Ticket.objects.get(pk=r.ticket_id)
        for name, r in (("here", here), ("there", there), ("web", web))
    }


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/tickets/"),
        ("get", "/api/v1/customers/?q=x"),
        ("get", "/api/v1/agents/"),
        ("post", "/api/v1/inbound/api/"),
        ("get", "/api/v1/orders/"),
        ("get", "/api/v1/tickets/1/"),
    ],
)
def test_strangers_are_refused_with_401(method, path):
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_wrong_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/tickets/").status_code == 401


def test_store_staff_see_their_stores_tickets_only(api_as, daan, tickets):
    api = api_as(daan)
    listed = {t["id"] for t in api.get("/api/v1/tickets/?view=all").json()["results"]}
    assert listed == {tickets["here"].pk}
    assert api.get(f"/api/v1/tickets/{tickets['here'].pk}/").status_code == 200
    for name in ("there", "web"):
        pk = tickets[name].pk
        assert api.get(f"/api/v1/tickets/{pk}/").status_code == 404
        for action, body in (
            ("claim", {}),
            ("reply", {"text": "x"}),
            ("notes", {"text": "x"}),
            ("status", {"status": "solved"}),
            ("assign", {"owner": daan.pk}),
        ):
            response = api.post(f"/api/v1/tickets/{pk}/{action}/", body, format="json")
            assert response.status_code == 404, (name, action)


def test_store_staff_see_tickets_they_own_elsewhere(api_as, sanne, daan, tickets):
    api_as(sanne).post(f"/api/v1/tickets/{tickets['web'].pk}/assign/", {"owner": daan.pk}, format="json")
    assert api_as(daan).get(f"/api/v1/tickets/{tickets['web'].pk}/").status_code == 200


def test_store_staff_reach_customers_they_looked_up_at_the_counter(api_as, daan, tickets):
    api = api_as(daan)
    web_customer = tickets["web"].customer_id
    assert api.get(f"/api/v1/customers/{web_customer}/").status_code == 404
    assert api.get(f"/api/v1/customers/{web_customer}/timeline/").status_code == 404
    found = api.get("/api/v1/customers/?q=web@example.nl").json()["results"]
    assert [c["id"] for c in found] == [web_customer]
    assert api.get(f"/api/v1/customers/{web_customer}/").status_code == 200
    from helpdesk.customers.models import CustomerAccess

    access = CustomerAccess.objects.get()
    assert (access.user, access.customer_id, access.store.code) == (daan, web_customer, "AMS1")


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("post", "/api/v1/inbound/api/", {"channel": "sms", "from": {"phone": "0612345678"}, "text": "x"}),
        (
            "post",
            "/api/v1/orders/",
            {
                "source": "pos",
                "external_id": "1",
                "number": "1",
                "email": "a@example.nl",
                "placed_at": "2026-11-01T10:00:00Z",
            },
        ),
        ("post", "/api/v1/agents/", {"username": "x", "password": "Secret-long-1234", "role": "agent"}),
        ("post", "/api/v1/teams/", {"name": "X"}),
        ("post", "/api/v1/stores/", {"name": "X", "code": "X1"}),
    ],
)
def test_store_staff_are_refused_service_and_admin_actions(api_as, daan, method, path, body):
    assert getattr(api_as(daan), method)(path, body, format="json").status_code == 403


def test_store_staff_may_not_merge_customers(api_as, daan, tickets):
    here = tickets["here"].customer_id
    response = api_as(daan).post(f"/api/v1/customers/{here}/merge/", {"other": here}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["sanne", "fatima"])
def test_agents_and_managers_may_not_manage_staff_teams_or_stores(request, api_as, who):
    api = api_as(request.getfixturevalue(who))
    assert (
        api.post(
            "/api/v1/agents/", {"username": "x", "password": "Secret-long-1234"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api.patch(
            f"/api/v1/agents/{request.getfixturevalue(who).pk}/", {"role": "admin"}, format="json"
        ).status_code
        == 403
    )
    assert api.post("/api/v1/teams/", {"name": "X"}, format="json").status_code == 403
    assert api.post("/api/v1/stores/", {"name": "X", "code": "X1"}, format="json").status_code == 403
    assert api.get("/api/v1/agents/").status_code == 200


def test_admins_manage_staff(admin_api, service_team, store):
    created = admin_api.post(
        "/api/v1/agents/",
        {
            "username": "lotte",
            "name": "Lotte",
            "password": "Secret-long-1234",
            "role": "store_staff",
            "stores": [store.pk],
            "teams": [service_team.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert "password" not in created.json()
    assert created.json()["stores"] == [store.pk]
    changed = admin_api.patch(f"/api/v1/agents/{created.json()['id']}/", {"role": "agent"}, format="json")
    assert changed.json()["role"] == "agent"
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "lotte", "password": "Secret-long-1234"}, format="json"
    )
    assert token.status_code == 200 and token.json()["token"]


def test_a_weak_password_is_refused(admin_api):
    response = admin_api.post("/api/v1/agents/", {"username": "x", "password": "123"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_a_superuser_has_the_admin_role(admin_api, admin_user):
    assert admin_api.get(f"/api/v1/agents/{admin_user.pk}/").json()["role"] == "admin"
