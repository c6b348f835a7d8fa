"""A bounce marks the address on the customer card, the reply as bounced with the reason,
and alerts the ticket's owner live and by email."""

from __future__ import annotations

import asyncio
import queue
import threading

import pytest
from channels.layers import get_channel_layer

from channels_integrations.email.bounces import record_bounce
from channels_integrations.email.deliverability import EmailAddressStatus, is_suppressed
from helpdesk import events
from tests.channels_integrations.email_outbound.conftest import ANNA
from tests.channels_integrations.email_outbound.test_agent_reply_by_smtp import reply

pytestmark = pytest.mark.usefixtures("eager_tasks")

REASON = "550 5.1.1 <anna@example.nl>: Recipient address rejected: User unknown"


class GroupListener:
    """A socket's view of a real channel-layer group (Redis in the tests).

    It listens on an event loop of its own that stays up while the test acts, as a server
    process's loop does: with the Pub/Sub layer a subscription lives as long as its loop.
    """

    def __init__(self, group: str):
        self.layer = get_channel_layer()
        self.group = group
        self.received: queue.SimpleQueue = queue.SimpleQueue()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.channel = self._run(self._subscribe())
        self.listening = asyncio.run_coroutine_threadsafe(self._listen(), self.loop)

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    async def _subscribe(self) -> str:
        channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, channel)
        return channel

    async def _listen(self) -> None:
        while True:
            for event in events.events_of(await self.layer.receive(self.channel)):
                self.received.put(event)

    def events(self, timeout: float = 5) -> list[dict]:
        """Everything that arrives until the group has been quiet for a moment."""
        found, wait = [], timeout
        try:
            while True:
                found.append(self.received.get(timeout=wait))
                wait = 0.5
        except queue.Empty:
            return found

    def close(self) -> None:
        self.listening.cancel()
        self._run(self.layer.group_discard(self.group, self.channel))
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def listen():
    listeners: list[GroupListener] = []

    def start(group: str) -> GroupListener:
        listeners.append(GroupListener(group))
        return listeners[-1]

    yield start
    for listener in listeners:
        listener.close()


def test_a_bounce_marks_the_address_the_reply_and_alerts_the_owner(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks, client, listen
):
    sanne.email = "sanne@shop.example"
    sanne.save()
    message = reply(api_as, sanne, annas_ticket, "Uw jas is onderweg.", django_capture_on_commit_callbacks)
    message.refresh_from_db()
    owners_screen = listen(f"tickets.user.{sanne.pk}")

    # What the DSN parser hands over: the Message-ID as the DSN quotes it, with brackets.
    with django_capture_on_commit_callbacks(execute=True):
        record_bounce(ANNA.upper(), f"<{message.thread_id}>", REASON)

    # The address.
    assert is_suppressed(ANNA)
    assert EmailAddressStatus.objects.get(address=ANNA).reason == REASON
    # The reply, as the agent sees it.
    shown = api_as(sanne).get(f"/api/v1/tickets/{annas_ticket.pk}/").json()["messages"][-1]
    assert (shown["id"], shown["delivery_status"], shown["delivery_error"]) == (message.pk, "bounced", REASON)
    # Live: a message.status event reaches the owner's screen.
    # (The reply's own "sent" status may still be on its way: it was pushed just before.)
    statuses = [e["object"] for e in owners_screen.events() if e["type"] == events.MESSAGE_STATUS]
    assert (message.pk, "bounced") in [(status["id"], status["delivery_status"]) for status in statuses]
    # By email, to the owner.
    [alert] = mailhost.to("sanne@shop.example")
    assert alert["Auto-Submitted"] == "auto-generated"
    assert f"[#{annas_ticket.pk}]" in alert["Subject"]
    body = alert.get_body(("plain",)).get_content()
    assert ANNA in body and "User unknown" in body and f"/tickets/{annas_ticket.pk}/" in body
    # On the customer card.
    client.force_login(sanne)
    page = client.get(f"/tickets/{annas_ticket.pk}/").content.decode()
    assert 'class="badge badge-warn email-trouble"' in page and "Bouncing" in page


def test_a_second_bounce_report_changes_nothing_more(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    sanne.email = "sanne@shop.example"
    sanne.save()
    message = reply(api_as, sanne, annas_ticket, "Uw jas is onderweg.", django_capture_on_commit_callbacks)
    message.refresh_from_db()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            record_bounce(ANNA, message.thread_id, REASON)
    assert len(mailhost.to("sanne@shop.example")) == 1


def test_a_bounce_for_mail_we_do_not_know_only_marks_the_address(mailhost, db):
    record_bounce("Someone@Example.NL", "<unknown@elsewhere.example>", "552 mailbox full")
    assert is_suppressed("someone@example.nl")
    assert mailhost.attempts == 0
