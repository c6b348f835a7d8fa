"""Which ticket a contact lands on: hints, continuation window, reopen window, else new."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import ticket_set_status
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def test_contact_on_another_channel_within_seven_days_continues_the_open_ticket(sanne):
    first = contact("email", email="anna@example.nl")
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        second = contact("sms", phone="+31612345678", email="anna@example.nl")
    assert second.ticket_id == first.ticket_id
    assert Ticket.objects.get(pk=first.ticket_id).last_channel == "sms"


def test_contact_after_the_continuation_window_opens_a_new_ticket(sanne):
    first = contact("email", email="anna@example.nl")
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        second = contact("email", email="anna@example.nl")
    assert second.ticket_id != first.ticket_id


def test_continuation_window_is_configurable(sanne, settings):
    settings.CONTINUATION_WINDOW = timedelta(hours=1)
    first = contact("email", email="anna@example.nl")
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert contact("email", email="anna@example.nl").ticket_id != first.ticket_id


def test_contact_soon_after_solving_reopens_the_ticket(sanne):
    first = contact("chat", email="anna@example.nl")
    ticket_set_status(ticket=Ticket.objects.get(pk=first.ticket_id), status="solved", actor=sanne)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        again = contact("email", email="anna@example.nl")
    ticket = Ticket.objects.get(pk=first.ticket_id)
    assert again.ticket_id == ticket.pk
    assert (ticket.status, ticket.reopen_count) == ("open", 1)


def test_contact_after_the_reopen_window_opens_a_new_ticket(sanne, settings):
    first = contact("chat", email="anna@example.nl")
    ticket_set_status(ticket=Ticket.objects.get(pk=first.ticket_id), status="solved", actor=sanne)
    with time_machine.travel(timezone.now() + timedelta(days=3, hours=1)):
        again = contact("email", email="anna@example.nl")
    assert again.ticket_id != first.ticket_id
    assert Ticket.objects.get(pk=first.ticket_id).status == "solved"


def test_explicit_ticket_hint_wins_over_the_newest_open_ticket(sanne):
    old = contact("email", email="anna@example.nl", text="retour")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        newer = contact("email", email="anna@example.nl", text="nieuwe vraag")
        assert newer.ticket_id != old.ticket_id
        hinted = contact("email", email="anna@example.nl", ticket=old.ticket_id)
    assert hinted.ticket_id == old.ticket_id


def test_reply_to_a_stored_message_id_threads_onto_its_ticket(sanne):
    first = contact("email", email="anna@example.nl", external_id="<abc@mail.example>")
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        reply = contact("email", email="anna@example.nl", in_reply_to="<abc@mail.example>")
    assert reply.ticket_id == first.ticket_id


def test_a_hint_to_someone_elses_ticket_does_not_let_a_stranger_post_there(sanne):
    annas = contact("email", email="anna@example.nl")
    strangers = contact("email", email="mallory@example.com", ticket=annas.ticket_id)
    assert strangers.ticket_id != annas.ticket_id
    assert Ticket.objects.get(pk=annas.ticket_id).message_count == 1


def test_a_closed_ticket_is_never_reopened(sanne):
    first = contact("email", email="anna@example.nl")
    ticket_set_status(ticket=Ticket.objects.get(pk=first.ticket_id), status="closed", actor=sanne)
    again = contact("email", email="anna@example.nl", ticket=first.ticket_id)
    assert again.ticket_id != first.ticket_id


def test_a_customer_answer_moves_a_pending_ticket_back_to_open(sanne):
    first = contact("email", email="anna@example.nl")
    ticket_set_status(ticket=Ticket.objects.get(pk=first.ticket_id), status="pending", actor=sanne)
    contact("email", email="anna@example.nl")
    assert Ticket.objects.get(pk=first.ticket_id).status == "open"
