"""A provider that delivers the same message twenty times at once gets one stored message."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from rest_framework.authtoken.models import Token

from helpdesk.customers.models import Customer, Identity
from helpdesk.tickets.models import Message, Ticket
from helpdesk.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _fire_together(count: int, send):
    barrier = threading.Barrier(count)

    def one(_):
        barrier.wait()
        return send()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_twenty_identical_deliveries_store_one_message(live_server, admin_user, sanne):
    token = Token.objects.create(user=admin_user).key
    payload = {
        "channel": "whatsapp",
        "external_id": "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQz",
        "from": {"phone": "+31612345678", "handle": "31612345678", "name": "Anna"},
        "text": "Mijn bestelling 100234 is beschadigd aangekomen",
    }

    def send():
        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            return client.post(
                "/api/v1/inbound/api/", json=payload, headers={"Authorization": f"Token {token}"}
            )

    responses = _fire_together(20, send)

    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    answers = {(r.json()["message"], r.json()["ticket"], r.json()["customer"]) for r in responses}
    assert len(answers) == 1
    assert [r.json()["created"] for r in responses].count(True) == 1
    assert Message.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert Customer.objects.count() == 1
    assert Identity.objects.count() == 2  # the phone number and the WhatsApp id
    assert TimelineEntry.objects.filter(kind="message").count() == 1


def test_concurrent_different_messages_of_one_new_customer_share_customer_and_ticket(
    live_server, admin_user, sanne
):
    token = Token.objects.create(user=admin_user).key

    def send_numbered():
        counter = send_numbered.n = getattr(send_numbered, "n", 0) + 1
        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            return client.post(
                "/api/v1/inbound/api/",
                headers={"Authorization": f"Token {token}"},
                json={
                    "channel": "chat",
                    "external_id": f"chat-{counter}-{id(client)}",
                    "from": {"email": "nieuw@example.nl"},
                    "text": "hallo?",
                },
            )

    responses = _fire_together(10, send_numbered)

    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    assert Customer.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 10
