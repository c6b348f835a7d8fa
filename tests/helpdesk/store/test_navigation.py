"""Store staff start at their counter after signing in; the workspace links to the counter
for the roles that may use it, and the counter links back to the inbox."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def sign_in(user, **extra) -> str:
    response = Client().post("/login/", {"username": user.username, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response["Location"]


def test_store_staff_land_at_the_counter(daan):
    assert sign_in(daan) == "/store/"


def test_a_next_page_still_wins(daan):
    assert sign_in(daan, next="/inbox/?view=store") == "/inbox/?view=store"


def test_agents_and_managers_still_land_in_the_inbox(sanne, fatima):
    assert sign_in(sanne) == "/inbox/"
    assert sign_in(fatima) == "/inbox/"


def test_store_staff_without_a_store_land_in_the_inbox(db):
    """The counter would only tell them they are not linked to a store."""
    assert sign_in(UserFactory(username="lonely", role="store_staff")) == "/inbox/"


def test_the_front_page_sends_signed_in_store_staff_to_the_counter(web_as, daan):
    response = web_as(daan).get("/")
    assert response.status_code == 302 and response["Location"] == "/store/"


def test_signed_in_store_staff_opening_the_login_page_go_to_the_counter(web_as, daan):
    response = web_as(daan).get("/login/")
    assert response.status_code == 302 and response["Location"] == "/store/"


def test_the_top_bar_links_to_the_counter_for_counter_roles_only(web_as, daan, fatima, admin_user, sanne):
    link = '<a href="/store/">Store counter</a>'
    for person in (daan, fatima, admin_user):
        assert link in web_as(person).get("/inbox/").content.decode(), person
    assert link not in web_as(sanne).get("/inbox/").content.decode()


def test_the_counter_links_back_to_the_inbox(web_as, daan):
    assert 'href="/inbox/"' in web_as(daan).get("/store/").content.decode()
