"""The chat widget on a shop's page, in Chromium: a real Daphne process for the helpdesk and a
second tiny HTTP server on another port for the shop (another origin, as on the internet)."""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from channels_integrations.chat.models import ChatConversation, ChatWidget
from helpdesk.realtime import presence
from helpdesk.realtime.groups import chat_visitor_group
from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.services import ticket_reply
from helpdesk.tickets.tasks import deliver_message
from tests.e2e.servers import AsgiServer

pytestmark = [pytest.mark.django_db(transaction=True)]

SHOP_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Regenjassenhuis</title>
<style>
  /* A shop stylesheet that would wreck a widget living in the page's own DOM. */
  * { font-family: Georgia, serif !important; color: #5b3a29; }
  button { background: hotpink; border: 4px dashed lime; padding: 30px; }
  body { margin: 0; background: #fbf8f3; } header { background: #2d2a26; padding: 1rem 2rem; }
  header strong { color: #fbf8f3; font-size: 1.3rem; } main { max-width: 800px; margin: 2rem auto; }
</style></head>
<body><header><strong>Regenjassenhuis</strong></header>
<main><h1>Regenjassen voor elk weertype</h1><p>Storm parka — € 149,95</p><button>In winkelmand</button></main>
<script src="{helpdesk}/chat/widget.js" data-key="{key}" async></script>
</body></html>
"""


class ShopServer:
    """A static web shop on its own loopback port."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/index.html"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def chat_server(django_db_setup, django_db_blocker):
    """Daphne on the test database, on the same channel-layer prefix as this test process, so
    what the test pushes (an agent's reply, typing) reaches the visitor sockets it serves."""
    if not settings.REDIS_URL:
        pytest.skip("the chat's browser test pushes across processes: it needs REDIS_URL")
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    server = AsgiServer(extra_env={"CHANNEL_PREFIX": prefix, "CELERY_TASK_ALWAYS_EAGER": "true"})
    yield server
    server.stop()


@pytest.fixture
def shop(tmp_path, chat_server, service_team):
    server = ShopServer(tmp_path)
    widget = ChatWidget.objects.create(
        name="Regenjassenhuis", team=service_team, allowed_origins=[f"http://127.0.0.1:{server.port}"],
        greeting="Hoi! Waarmee kunnen we je helpen?",
    )
    (tmp_path / "index.html").write_text(SHOP_PAGE.replace("{helpdesk}", chat_server.url)
                                         .replace("{key}", widget.key), encoding="utf-8")
    yield server
    server.stop()


@pytest.fixture
def sanne_online(sanne):
    presence.mark_online(sanne.pk)  # as her open workspace would; the cache is the shared Redis
    yield sanne
    presence.mark_offline(sanne.pk)


@pytest.fixture
def page(browser, artifacts):
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    yield page
    context.close()


def off_loop(work):
    """Run `work` in its own thread: Playwright's sync API keeps an event loop in this one,
    and the channel layer (async_to_sync) refuses to run beside it."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=30)


def wait_for(predicate, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_visitor_chats_and_finds_the_conversation_again_after_a_reload(shop, sanne_online, page, artifacts):
    page.goto(shop.url())
    page.get_by_role("button", name="Open chat").click()
    dialog = page.get_by_role("dialog", name="Regenjassenhuis")
    dialog.get_by_text("Hoi! Waarmee kunnen we je helpen?").wait_for()
    composer = dialog.get_by_role("textbox", name="Type your message")
    assert composer.evaluate("el => el === el.getRootNode().activeElement")  # focus moved into the chat
    page.screenshot(path=artifacts / "chat-widget-open.png")

    composer.fill("Is de storm parka waterdicht?")
    composer.press("Enter")
    message = wait_for(lambda: Message.objects.filter(text="Is de storm parka waterdicht?").first())
    ticket = Ticket.objects.get(pk=message.ticket_id)
    assert (message.channel, ticket.channel, ticket.owner_id) == ("chat", "chat", sanne_online.pk)
    dialog.locator("li.in:not(.sending)").wait_for()

    off_loop(lambda: async_to_sync(get_channel_layer().group_send)(
        chat_visitor_group(ticket.pk), {"type": "chat.agent_typing", "name": "Sanne de Vries"}
    ))
    dialog.get_by_text("Sanne de Vries is typing…").wait_for()
    answer = "Ja, tot 10.000 mm waterkolom. Handig bij storm!"
    reply = off_loop(lambda: ticket_reply(ticket=ticket, author=sanne_online, text=answer))
    # The outbound task, run here as a worker would: the adapter pushes through Redis to Daphne.
    assert off_loop(lambda: deliver_message.apply(args=[reply.pk]).get()) == "sent"
    dialog.get_by_text(answer).wait_for()
    wait_for(lambda: Message.objects.get(pk=reply.pk).delivery_status == "read")  # the panel is open
    page.screenshot(path=artifacts / "chat-widget-conversation.png")

    page.reload()
    dialog = page.get_by_role("dialog", name="Regenjassenhuis")
    dialog.get_by_text("Is de storm parka waterdicht?").wait_for()
    dialog.get_by_text(answer).wait_for()
    assert ChatConversation.objects.count() == 1
    assert Message.objects.filter(ticket=ticket).count() == 2


def test_a_page_on_an_origin_the_widget_does_not_allow_gets_no_chat(shop, sanne_online, page, artifacts):
    page.goto(shop.url(host="localhost"))  # same page, another origin
    page.get_by_role("button", name="Open chat").click()
    page.get_by_role("alert").filter(has_text="Chat is not available on this page").wait_for(timeout=15_000)
    page.screenshot(path=artifacts / "chat-widget-refused.png")
    assert not ChatConversation.objects.exists()
    assert not Ticket.objects.exists()
