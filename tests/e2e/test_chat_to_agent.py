"""The whole loop in two browsers: a visitor chats on a shop (another origin), the ticket appears
in the agent's inbox without a reload, the agent replies from the ticket page, the visitor sees it."""

from __future__ import annotations

import pytest
from django.conf import settings

from channels_integrations.chat.models import ChatWidget
from tests.e2e.servers import AsgiServer
from tests.e2e.test_chat_widget import SHOP_PAGE, ShopServer
from tests.e2e.test_workspace import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def helpdesk_server(django_db_setup, django_db_blocker):
    # Replies are delivered in the web process after commit, as in the quick start.
    server = AsgiServer(extra_env={"CELERY_TASK_ALWAYS_EAGER": "true"})
    yield server
    server.stop()


def test_visitor_chat_reaches_the_inbox_live_and_the_reply_reaches_the_visitor(
    browser, helpdesk_server, tmp_path, sanne, service_team, artifacts
):
    if not settings.REDIS_URL:
        pytest.skip("visitor and agent sockets meet through Redis; REDIS_URL is not set")
    shop = ShopServer(tmp_path)
    try:
        widget = ChatWidget.objects.create(
            name="Regenjassenhuis", team=service_team, allowed_origins=[f"http://127.0.0.1:{shop.port}"]
        )
        (tmp_path / "index.html").write_text(
            SHOP_PAGE.replace("{helpdesk}", helpdesk_server.url).replace("{key}", widget.key),
            encoding="utf-8",
        )

        inbox = sign_in(browser, helpdesk_server, sanne)  # her open workspace makes her "online"
        inbox.wait_for_selector("#live-indicator[data-state=live]")
        inbox.evaluate("window.__sameDocument = true")

        visitor = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
        visitor.goto(shop.url())
        visitor.get_by_role("button", name="Open chat").click()
        chat = visitor.get_by_role("dialog", name="Regenjassenhuis")
        chat.get_by_role("textbox", name="Type your message").fill("Hebben jullie de storm parka in maat M?")
        chat.get_by_role("button", name="Send", exact=True).click()

        row = inbox.get_by_role("link", name="Hebben jullie de storm parka in maat M?")
        row.wait_for(timeout=15_000)
        assert inbox.evaluate("window.__sameDocument") is True  # it arrived without a reload
        inbox.screenshot(path=artifacts / "flow-inbox-with-chat.png")

        row.click()
        inbox.get_by_label("Reply to").fill("Ja, maat M is op voorraad in Amsterdam.")
        inbox.get_by_role("button", name="Send reply").click()

        chat.get_by_text("Ja, maat M is op voorraad in Amsterdam.").wait_for(timeout=15_000)
        visitor.screenshot(path=artifacts / "flow-visitor-sees-reply.png")
    finally:
        shop.stop()
