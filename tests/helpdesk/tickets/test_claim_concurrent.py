"""Exactly one owner: of twenty agents claiming one ticket at once, one wins."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from rest_framework.authtoken.models import Token

from helpdesk.customers.models import Customer
from helpdesk.tickets.services import ticket_open
from helpdesk.timeline.models import TimelineEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_claims_one_succeeds_the_rest_get_409(live_server):
    agents = [UserFactory(username=f"agent{i}", role="agent") for i in range(20)]
    tokens = [Token.objects.create(user=agent).key for agent in agents]
    ticket = ticket_open(customer=Customer.objects.create(name="Anna"), channel="email", subject="Retour")
    barrier = threading.Barrier(len(tokens))

    def claim(token: str) -> httpx.Response:
        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            barrier.wait()
            return client.post(
                f"/api/v1/tickets/{ticket.pk}/claim/", headers={"Authorization": f"Token {token}"}
            )

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        responses = list(pool.map(claim, tokens))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 19
    winner = next(r for r in responses if r.status_code == 200).json()["owner"]["id"]
    ticket.refresh_from_db()
    assert ticket.owner_id == winner
    losers = [r.json() for r in responses if r.status_code == 409]
    assert all(body["owner"]["id"] == winner and "already owned" in body["detail"] for body in losers)
    assert TimelineEntry.objects.filter(kind="owner_changed").count() == 1
