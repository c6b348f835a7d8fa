"""A newline in a ticket subject (an API client, an old import) never stops mail on the
ticket: subjects are sent on one line; a header that still cannot be written fails the
reply for good, with the reason shown, instead of being retried for hours."""

from __future__ import annotations

import pytest

from helpdesk.tickets.models import DeliveryStatus, Message, Ticket
from tests.channels_integrations.email_outbound.conftest import ANNA
from tests.channels_integrations.email_outbound.test_owner_notifications import handover
from tests.channels_integrations.email_outbound.test_smtp_refusals import queued_reply, work

pytestmark = pytest.mark.usefixtures("eager_tasks")


@pytest.fixture
def multiline_subject(annas_ticket) -> Ticket:
    Ticket.objects.filter(pk=annas_ticket.pk).update(subject="Ruilen\njas\r\n  maat M")
    annas_ticket.refresh_from_db()
    return annas_ticket


def test_a_subject_with_a_newline_is_replied_to_on_one_line(
    api_as, sanne, multiline_subject, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, multiline_subject, django_capture_on_commit_callbacks)

    assert work(message) == "sent"

    [mail] = mailhost.received
    assert mail["Subject"] == f"Re: Ruilen jas maat M [#{multiline_subject.pk}]"
    assert mailhost.envelopes[0][1] == [ANNA]


def test_a_handover_of_a_ticket_with_a_newline_in_its_subject_is_notified(
    api_as, sanne, pieter, multiline_subject, mailhost, django_capture_on_commit_callbacks
):
    pieter.email = "pieter@shop.example"
    pieter.save()

    handover(api_as, sanne, multiline_subject, pieter, django_capture_on_commit_callbacks)

    [mail] = mailhost.received
    assert mail["Subject"] == f"[#{multiline_subject.pk}] handed to you: Ruilen jas maat M"


def test_a_long_subject_keeps_the_ticket_reference(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    Ticket.objects.filter(pk=annas_ticket.pk).update(subject="jas " * 63)
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)

    assert work(message) == "sent"

    subject = str(mailhost.received[0]["Subject"])
    assert subject.startswith("Re: jas jas") and subject.endswith(f" [#{annas_ticket.pk}]")
    assert len(subject) <= 255


def test_a_header_that_cannot_be_written_fails_the_reply_for_good(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    Message.objects.filter(pk=message.pk).update(recipient=f"{ANNA}\nBcc: someone@example.com")

    assert work(message) == "failed"

    assert mailhost.attempts == 0
    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_attempts) == (DeliveryStatus.FAILED, 1)
    assert "could not be composed" in message.delivery_error
