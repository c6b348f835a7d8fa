"""A new ticket from a person's mail is acknowledged once, as an automatic reply, and never
to an address that bounces or on a mailbox that has acknowledgements off."""

from __future__ import annotations

import pytest

from channels_integrations.email.deliverability import AddressState, address_mark
from channels_integrations.email.outbound import acknowledge
from channels_integrations.email.tokens import ticket_id_from_address
from helpdesk.tickets.models import DeliveryStatus, Direction, Message
from tests.channels_integrations.email_outbound.conftest import ANNA, ANNAS_MESSAGE_ID, customer_mail

pytestmark = pytest.mark.usefixtures("eager_tasks")


def test_a_new_ticket_is_acknowledged_once_as_an_automatic_reply(
    mailbox, mailhost, django_capture_on_commit_callbacks
):
    inbound = customer_mail()
    ticket = inbound.ticket
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(ticket.pk, inbound.pk, mailbox.pk)
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(ticket.pk, inbound.pk, mailbox.pk)  # a second call (a redelivered task)

    [mail] = mailhost.received
    assert mailhost.envelopes[0][1] == [ANNA]
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["X-Auto-Response-Suppress"] == "All"
    assert mail["In-Reply-To"] == f"<{ANNAS_MESSAGE_ID}>"
    assert mail["From"].addresses[0].addr_spec == mailbox.address
    assert ticket_id_from_address(mail["Reply-To"].addresses[0].addr_spec) == ticket.pk
    assert mail["Subject"] == f"Re: Ruilen jas [#{ticket.pk}]"
    assert f"[#{ticket.pk}]" in mail.get_body(("plain",)).get_content()
    [ack] = Message.objects.filter(ticket=ticket, direction=Direction.OUT)
    assert ack.is_automatic and ack.delivery_status == DeliveryStatus.SENT
    assert mail["Message-ID"] == f"<{ack.thread_id}>"
    # An acknowledgement is not a response: the first-response clock keeps running.
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_no_acknowledgement_to_a_bouncing_address(mailbox, mailhost, django_capture_on_commit_callbacks):
    address_mark(address=ANNA, state=AddressState.BOUNCING, reason="550 mailbox unavailable")
    inbound = customer_mail()
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(inbound.ticket_id, inbound.pk, mailbox.pk)

    assert mailhost.attempts == 0
    assert not Message.objects.filter(ticket_id=inbound.ticket_id, direction=Direction.OUT).exists()


def test_no_acknowledgement_when_the_mailbox_has_them_off_or_the_mail_was_automatic(
    mailbox, mailhost, django_capture_on_commit_callbacks
):
    inbound = customer_mail()
    mailbox.auto_acknowledge = False
    mailbox.save()
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(inbound.ticket_id, inbound.pk, mailbox.pk)
    mailbox.auto_acknowledge = True
    mailbox.save()
    Message.objects.filter(pk=inbound.pk).update(is_automatic=True)
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(inbound.ticket_id, inbound.pk, mailbox.pk)

    assert mailhost.attempts == 0


def test_a_mailbox_of_our_own_is_never_acknowledged(mailbox, mailhost, django_capture_on_commit_callbacks):
    inbound = customer_mail(sender=mailbox.address, message_id="<loop-1@shop.example>")
    with django_capture_on_commit_callbacks(execute=True):
        acknowledge(inbound.ticket_id, inbound.pk, mailbox.pk)
    assert mailhost.attempts == 0
