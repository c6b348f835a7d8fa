"""Two agents in real browsers on a real Daphne: a new ticket appears in the inbox without a
reload, the second agent sees the first viewing and typing, and the keyboard drives it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from agents.models import CannedReply
from helpdesk.orders.services import LineData, OrderData, ReturnData, ShipmentData, order_upsert
from helpdesk.tickets.models import Ticket
from tests.e2e.servers import AsgiServer
from tests.helpdesk.inbound.helpers import contact

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def asgi_server(django_db_setup, django_db_blocker):
    """The conftest's Daphne on the test database, on this process's channel-layer prefix.

    tests/conftest.py picks a CHANNEL_PREFIX after the settings were read, so without this the
    server listens under another prefix than the one this process publishes ingest events to.
    """
    prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix")
    server = AsgiServer(extra_env={"CHANNEL_PREFIX": prefix} if prefix else None)
    yield server
    server.stop()


def in_thread(fn, *args, **kwargs):
    """Run a write that publishes events away from Playwright's event loop.

    events.publish pushes through async_to_sync, which refuses to run in a thread that
    has an event loop (the sync Playwright API keeps one in this thread).
    """
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the test thread
            result["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def sign_in(browser, server, user):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/inbox/")
    return page


def seed() -> None:
    """A lived-in inbox: a few customers on several channels, Anna with an order in transit."""
    contact(
        "email",
        email="bram@example.nl",
        name="Bram Visser",
        subject="Factuur kwijt",
        text="Kunnen jullie de factuur van mijn laatste bestelling nog eens sturen?",
    )
    contact("sms", phone="+31687654321", name="Chantal", text="Is de winkel in Utrecht zondag open?")
    contact(
        "whatsapp",
        phone="+31611122233",
        handle="31611122233",
        name="Dewi",
        text="Mijn pakket is beschadigd aangekomen, wat nu?",
    )
    order_upsert(
        OrderData(
            source="webshop",
            external_id="o-100234",
            number="100234",
            email="anna@example.nl",
            customer_name="Anna de Boer",
            placed_at=datetime(2026, 11, 1, 10, 0, tzinfo=UTC),
            status="shipped",
            total=Decimal("129.90"),
            lines=(
                LineData(title="Regenjas", sku="JKT-1", price=Decimal("89.95")),
                LineData(title="Wollen muts", sku="HAT-3", price=Decimal("39.95")),
            ),
            shipments=(ShipmentData(carrier="PostNL", tracking_number="3SABC123", status="delayed"),),
        )
    )
    order_upsert(
        OrderData(
            source="webshop",
            external_id="o-100101",
            number="100101",
            email="anna@example.nl",
            placed_at=datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
            status="returned",
            total=Decimal("49.95"),
            lines=(LineData(title="Trui", sku="TR-2", price=Decimal("49.95")),),
            shipments=(ShipmentData(carrier="DHL", tracking_number="JVGL0001", status="delivered"),),
            returns=(
                ReturnData(status="received", reason="te klein", lines=("TR-2",), refunded=Decimal("49.95")),
            ),
        )
    )
    CannedReply.objects.create(
        title="Order is delayed",
        shortcut="delay",
        body="Hoi {{ customer.first_name }}, je bestelling {{ order.number }} is vertraagd bij de "
        "vervoerder. Je hoort morgen van ons. Groet, {{ agent.name }}",
    )


def test_two_agents_work_the_same_ticket_live(browser, asgi_server, artifacts, sanne, pieter):
    if not settings.REDIS_URL:
        pytest.skip("the browser and this test process share events through Redis; REDIS_URL is not set")
    in_thread(seed)

    inbox = sign_in(browser, asgi_server, sanne)
    inbox.wait_for_selector("#live-indicator[data-state=live]")
    inbox.evaluate("window.__sameDocument = true")

    # A new ticket arrives while Sanne looks at her inbox; it comes in without a reload.
    result = in_thread(
        contact,
        "email",
        email="anna@example.nl",
        name="Anna de Boer",
        subject="Waar blijft mijn regenjas?",
        text="Hoi, mijn bestelling 100234 zou gisteren komen maar is er nog niet. Groet, Anna",
    )
    row = inbox.locator(f'tr[data-ticket="{result.ticket_id}"]')
    row.wait_for(timeout=10_000)
    assert "Anna de Boer" in row.inner_text()
    assert inbox.evaluate("window.__sameDocument") is True
    assert inbox.locator("#tickets tbody tr").first.get_attribute("data-ticket") == str(result.ticket_id)
    inbox.locator("tr.is-fresh").wait_for(state="detached")  # the arrival highlight fades…
    inbox.wait_for_timeout(1300)  # …over 1.2 s; then the picture
    inbox.screenshot(path=str(artifacts / "workspace-inbox.png"))

    # Keyboard only: j selects the newest ticket, o opens it.
    inbox.keyboard.press("j")
    assert inbox.locator("tr.is-selected").get_attribute("data-ticket") == str(result.ticket_id)
    inbox.keyboard.press("o")
    inbox.wait_for_url(f"{asgi_server.url}/tickets/{result.ticket_id}/")
    ticket_a = inbox
    ticket_a.wait_for_selector("#live-indicator[data-state=live]")

    # Pieter opens the same ticket: he sees Sanne there, and she sees him.
    ticket_b = sign_in(browser, asgi_server, pieter)
    ticket_b.goto(f"{asgi_server.url}/tickets/{result.ticket_id}/")
    viewers_b = ticket_b.locator("#presence-viewers")
    viewers_b.filter(has_text="Sanne de Vries").wait_for(timeout=10_000)
    ticket_a.locator("#presence-viewers").filter(has_text="Pieter Bakker").wait_for(timeout=10_000)

    # Sanne presses r and types: Pieter sees her typing.
    ticket_a.keyboard.press("r")
    assert ticket_a.evaluate("document.activeElement.id") == "reply-text"
    ticket_a.keyboard.type("Hoi Anna, ik kijk het meteen na")
    ticket_b.locator("#presence-typing").filter(has_text="Sanne de Vries is typing").wait_for(timeout=10_000)
    # Typing "r" in the reply box typed it; no shortcut fired.
    assert ticket_a.input_value("#reply-text").endswith("meteen na")
    ticket_b.screenshot(path=str(artifacts / "workspace-ticket.png"))

    # The reply goes out on the customer's channel, and Pieter's timeline shows it live.
    with ticket_a.expect_navigation():
        ticket_a.keyboard.press("Control+Enter")
    ticket_b.locator("#timeline").filter(has_text="ik kijk het meteen na").wait_for(timeout=10_000)
    assert Ticket.objects.get(pk=result.ticket_id).first_response_at is not None

    ticket_a.context.close()
    ticket_b.context.close()
