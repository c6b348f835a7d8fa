"""The owner hears by email when a ticket is handed to them; not when they took it
themselves, and never at an address that bounces."""

from __future__ import annotations

import pytest

from channels_integrations.email.deliverability import AddressState, address_mark

pytestmark = pytest.mark.usefixtures("eager_tasks")


@pytest.fixture
def staff_addresses(sanne, pieter):
    for user, address in ((sanne, "sanne@shop.example"), (pieter, "pieter@shop.example")):
        user.email = address
        user.save()


def handover(api_as, actor, ticket, owner, capture, note=""):
    with capture(execute=True):
        response = api_as(actor).post(f"/api/v1/tickets/{ticket.pk}/assign/",
                                      {"owner": owner.pk, "note": note}, format="json")
    assert response.status_code == 200, response.content


def test_a_handover_emails_the_new_owner(
    api_as, sanne, pieter, annas_ticket, staff_addresses, mailhost, django_capture_on_commit_callbacks
):
    handover(api_as, sanne, annas_ticket, pieter, django_capture_on_commit_callbacks, note="Jij kent dit")

    [mail] = mailhost.received
    assert mailhost.envelopes[0][1] == ["pieter@shop.example"]
    assert mail["From"].addresses[0].addr_spec == "service@shop.example"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Subject"] == f"[#{annas_ticket.pk}] handed to you: Ruilen jas"
    text = mail.get_body(("plain",)).get_content()
    assert "Sanne de Vries handed ticket" in text and "Anna de Boer" in text
    assert f"http://localhost:8000/tickets/{annas_ticket.pk}/" in text
    html = mail.get_body(("html",)).get_content()
    assert f'href="http://localhost:8000/tickets/{annas_ticket.pk}/"' in html


def test_taking_a_ticket_yourself_sends_nothing(
    api_as, sanne, annas_ticket, staff_addresses, mailhost, django_capture_on_commit_callbacks
):
    handover(api_as, sanne, annas_ticket, sanne, django_capture_on_commit_callbacks)
    assert mailhost.attempts == 0


def test_no_notification_to_a_bouncing_address_or_when_switched_off(
    api_as, sanne, pieter, annas_ticket, staff_addresses, mailhost, settings,
    django_capture_on_commit_callbacks,
):
    address_mark(address="pieter@shop.example", state=AddressState.BOUNCING, reason="550 no such user")
    handover(api_as, sanne, annas_ticket, pieter, django_capture_on_commit_callbacks)
    settings.NOTIFY_OWNER_BY_EMAIL = False
    handover(api_as, pieter, annas_ticket, sanne, django_capture_on_commit_callbacks)
    assert mailhost.attempts == 0
