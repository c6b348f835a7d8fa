"""Who may use the counter: store staff for their own stores, managers and admins; not agents."""

from __future__ import annotations

import pytest
from django.test import Client

from helpdesk.store.models import StoreContact
from tests.factories import UserFactory
from tests.helpdesk.store.conftest import contact_form, reason

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/store/", "/store/walk-in/", "/store/customers/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith(f"/login/?next={path}")


def test_service_agents_are_refused(web_as, sanne, anna):
    response = web_as(sanne).get("/store/")
    assert response.status_code == 403 and "Service agents help" in response.content.decode()
    assert web_as(sanne).post(f"/store/customers/{anna.pk}/contacts/", {}).status_code == 403


def test_store_staff_without_a_store_are_refused(web_as, db):
    lonely = UserFactory(username="lonely", role="store_staff")
    response = web_as(lonely).get("/store/")
    assert response.status_code == 403 and "not linked to a store" in response.content.decode()


def test_managers_and_admins_may_use_any_store(web_as, fatima, admin_user, store, other_store):
    for person in (fatima, admin_user):
        client = web_as(person)
        assert client.get("/store/").status_code == 200
        assert client.post("/store/store/", {"store": other_store.pk}).status_code == 302
        assert client.get("/store/").context["store"] == other_store


def test_other_store_staff_cannot_see_a_customer_they_did_not_look_up(web_as, other_store, anna):
    utrecht = UserFactory(username="ilse", role="store_staff")
    utrecht.stores.add(other_store)
    assert web_as(utrecht).get(f"/store/customers/{anna.pk}/").status_code == 404


def test_store_staff_cannot_log_for_a_store_not_theirs(counter, daan, anna, other_store):
    assert counter.post("/store/store/", {"store": other_store.pk}).status_code == 404
    response = counter.post(f"/store/customers/{anna.pk}/contacts/",
                            contact_form(reason=reason("Return").pk, store=other_store.pk))
    assert response.status_code == 404
    assert not StoreContact.objects.exists()


def test_a_lookup_shows_the_customer_but_the_contact_is_for_the_staff_members_store(
    web_as, other_store, anna
):
    """Anna's history lives elsewhere; Utrecht's staff log her visit for Utrecht."""
    utrecht = UserFactory(username="ilse", role="store_staff")
    utrecht.stores.add(other_store)
    client = web_as(utrecht)
    client.get("/store/", {"q": "anna@example.nl", "key": "email"})
    assert client.get(f"/store/customers/{anna.pk}/").status_code == 200
    client.post(f"/store/customers/{anna.pk}/contacts/", contact_form(reason=reason("Return").pk))
    contact = StoreContact.objects.get()
    assert (contact.store, contact.ticket.store) == (other_store, other_store)
