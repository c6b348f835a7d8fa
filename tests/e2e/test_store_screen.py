"""Store staff at a tablet: find Anna by phone, see her web-shop order, log a return solved
on the spot, then hand another question over; it lands in the service team's inbox with an
owner and the note. Real Daphne, real Chromium at a touch tablet's size."""

from __future__ import annotations

import pytest
from django.conf import settings

from helpdesk.customers.models import Identity
from helpdesk.store.models import ContactReason, StoreContact
from helpdesk.tickets.models import Ticket
from tests.e2e.servers import AsgiServer
from tests.e2e.test_workspace import in_thread
from tests.helpdesk.inbound.helpers import contact
from tests.helpdesk.web.conftest import annas_order

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}


@pytest.fixture(scope="module")
def asgi_server(django_db_setup, django_db_blocker):
    prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix")
    server = AsgiServer(extra_env={"CHANNEL_PREFIX": prefix} if prefix else None)
    yield server
    server.stop()


def seed() -> int:
    """Anna wrote to customer service by email before, and bought a coat in the web shop."""
    # The reasons come from a data migration; an earlier transactional test may have
    # flushed them.
    for position, name in enumerate(["Return", "Exchange", "Complaint", "Delivery question",
                                     "Product advice"], start=1):
        ContactReason.objects.get_or_create(name=name, defaults={"position": position * 10})
    result = contact("email", email="anna@example.nl", name="Anna de Boer", subject="Levering",
                     text="Wanneer komt mijn jas?")
    Identity.objects.create(customer_id=result.customer_id, kind="phone", value="+31612345678")
    annas_order("100234", shipment="delayed")
    return result.customer_id


def sign_in(page, server, user, next_path: str) -> None:
    page.goto(f"{server.url}/login/?next={next_path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}{next_path}")


def test_store_staff_log_a_return_and_hand_a_question_over(
    browser, asgi_server, artifacts, daan, sanne, store
):
    anna = in_thread(seed)
    tablet = browser.new_context(**TABLET)
    page = tablet.new_page()
    sign_in(page, asgi_server, daan, "/store/")

    # Find Anna by the phone number she says out loud, as typed on the tablet.
    page.get_by_text("Phone", exact=True).tap()
    assert page.locator("#q").get_attribute("inputmode") == "tel"
    page.locator("#q").fill("06-12345678")
    page.get_by_role("button", name="Find").tap()
    page.screenshot(path=str(artifacts / "store-lookup.png"), full_page=True)
    page.get_by_role("link", name="Anna de Boer").tap()
    page.wait_for_url(f"{asgi_server.url}/store/customers/{anna}/")

    # Her web-shop order, with the tracking status in plain words.
    order = page.get_by_role("article", name="Order 100234")
    assert "Web shop" in order.inner_text() and "Delayed" in order.inner_text()
    page.screenshot(path=str(artifacts / "store-customer.png"), full_page=True)

    # A return of that order, solved on the spot.
    page.get_by_text("Return", exact=True).tap()
    page.get_by_label("What the customer says").fill("Jas is te klein, wil retour.")
    page.get_by_label("About order").select_option(label="100234 · 01-11-2026")
    page.get_by_text("Solved on the spot").tap()
    page.get_by_role("button", name="Log this visit").tap()
    page.get_by_text("Logged and solved on the spot").wait_for()
    page.screenshot(path=str(artifacts / "store-logged.png"), full_page=True)
    solved = Ticket.objects.get(pk=StoreContact.objects.get().ticket_id)
    assert (solved.status, solved.owner_id, solved.store_id) == ("solved", daan.pk, store.pk)
    assert list(solved.orders.values_list("number", flat=True)) == ["100234"]

    # Another question: handed over to the service team, with a note.
    page.get_by_text("Delivery question", exact=True).tap()
    page.get_by_label("What the customer says").fill("Waar blijft mijn tweede pakket?")
    page.get_by_text("Handed over to the service team").tap()
    page.get_by_label("Handover note").fill("Graag navragen bij PostNL en Anna mailen.")
    page.get_by_role("button", name="Log this visit").tap()
    page.get_by_text("Handed over: ticket").wait_for()
    assert "owned by Sanne de Vries" in page.locator(".flash-area").inner_text()
    assert "The customer was told by Email" in page.locator(".flash-area").inner_text()
    handed = Ticket.objects.get(pk=StoreContact.objects.latest("id").ticket_id)
    assert handed.owner_id == sanne.pk and handed.pk != solved.pk

    # The service team's inbox has it, with its owner; the ticket shows the note.
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    inbox = desk.new_page()
    sign_in(inbox, asgi_server, sanne, "/inbox/")
    row = inbox.locator(f"tr:has(a[href='/tickets/{handed.pk}/'])")
    row.wait_for()
    assert "Sanne de Vries" in row.inner_text()
    inbox.goto(f"{asgi_server.url}/tickets/{handed.pk}/")
    inbox.locator(".entry.dir-note", has_text="Graag navragen bij PostNL en Anna mailen.").wait_for()
    inbox.screenshot(path=str(artifacts / "store-handover-in-inbox.png"), full_page=True)
    tablet.close()
    desk.close()
