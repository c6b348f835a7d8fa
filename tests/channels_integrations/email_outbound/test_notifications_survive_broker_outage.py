"""With the task broker down, a handover and a bounce are still saved and answered; only
the owner's email about them is lost (logged), never the change itself."""

from __future__ import annotations

import pytest

from channels_integrations.email.bounces import record_bounce
from channels_integrations.email.deliverability import is_suppressed
from helpdesk.tickets.models import DeliveryStatus, Ticket
from tests.channels_integrations.email_outbound.conftest import ANNA, broker_down
from tests.channels_integrations.email_outbound.test_agent_reply_by_smtp import reply

# Real commits, so the after-commit hooks run inside the request as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def staff_addresses(sanne, pieter):
    for user, address in ((sanne, "sanne@shop.example"), (pieter, "pieter@shop.example")):
        user.email = address
        user.save()


def test_a_handover_is_saved_while_the_broker_is_down(
    api_as, sanne, pieter, annas_ticket, staff_addresses, mailhost, caplog
):
    with broker_down():
        response = api_as(sanne).post(f"/api/v1/tickets/{annas_ticket.pk}/assign/",
                                      {"owner": pieter.pk}, format="json")

    assert response.status_code == 200, response.content
    assert Ticket.objects.get(pk=annas_ticket.pk).owner_id == pieter.pk
    assert mailhost.attempts == 0
    assert "notify_owner_assigned" in caplog.text


def test_a_bounce_is_recorded_while_the_broker_is_down(
    api_as, sanne, annas_ticket, staff_addresses, mailhost, django_capture_on_commit_callbacks
):
    message = reply(api_as, sanne, annas_ticket, "Uw jas is onderweg.", django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT

    with broker_down():
        record_bounce(ANNA, f"<{message.thread_id}>", "550 5.1.1 User unknown")

    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.BOUNCED
    assert is_suppressed(ANNA)
    assert len(mailhost.received) == 1  # the reply; the owner's alert could not be queued
