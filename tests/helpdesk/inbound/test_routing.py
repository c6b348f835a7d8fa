"""Who owns a new ticket: the previous owner if active, else the least-loaded team agent."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import ticket_assign, ticket_set_status
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def test_a_new_ticket_goes_to_the_team_agent_with_fewest_open_tickets(sanne, pieter):
    first = contact("email", email="a@example.nl")
    second = contact("email", email="b@example.nl")
    third = contact("email", email="c@example.nl")
    owners = [Ticket.objects.get(pk=r.ticket_id).owner for r in (first, second, third)]
    assert owners == [sanne, pieter, sanne]


def test_a_returning_customer_goes_back_to_their_previous_owner(sanne, pieter):
    first = contact("email", email="anna@example.nl")
    ticket = Ticket.objects.get(pk=first.ticket_id)
    ticket_assign(ticket=ticket, owner=pieter, actor=sanne)
    ticket_set_status(ticket=ticket, status="closed", actor=pieter)
    for address in ("x@example.nl", "y@example.nl", "z@example.nl"):
        contact("email", email=address)  # load Pieter up with more open work than Sanne
    later = contact("chat", email="anna@example.nl")
    assert Ticket.objects.get(pk=later.ticket_id).owner == pieter


def test_an_inactive_previous_owner_is_skipped(sanne, pieter):
    first = contact("email", email="anna@example.nl")
    ticket = Ticket.objects.get(pk=first.ticket_id)
    ticket_assign(ticket=ticket, owner=pieter, actor=sanne)
    ticket_set_status(ticket=ticket, status="closed", actor=pieter)
    pieter.is_active = False
    pieter.save()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        later = contact("email", email="anna@example.nl")
    assert Ticket.objects.get(pk=later.ticket_id).owner == sanne


def test_a_store_contact_goes_to_the_stores_service_team(sanne, store):
    result = contact("instore", phone="+31612345678", store_id=store.pk)
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert (ticket.team, ticket.store, ticket.owner) == (store.team, store, sanne)


def test_without_a_team_a_new_ticket_waits_unassigned(db):
    result = contact("email", email="anna@example.nl")
    assert Ticket.objects.get(pk=result.ticket_id).owner is None


def test_open_ticket_counters_stay_exact_through_claims_handovers_and_status_changes(sanne, pieter, fatima):
    from agents.load import recount_open_tickets
    from helpdesk.tickets.services import ticket_claim

    results = [contact("email", email=f"k{i}@example.nl") for i in range(6)]
    tickets = [Ticket.objects.get(pk=r.ticket_id) for r in results]
    ticket_assign(ticket=tickets[0], owner=None, actor=sanne)
    ticket_claim(ticket_id=tickets[0].pk, agent=fatima)
    ticket_assign(ticket=tickets[1], owner=pieter, actor=sanne)
    ticket_set_status(ticket=tickets[2], status="solved", actor=sanne)
    ticket_set_status(ticket=tickets[3], status="pending", actor=sanne)
    contact("email", email="k3@example.nl")  # pending -> open, still open
    ticket_set_status(ticket=tickets[4], status="closed", actor=sanne)
    contact("email", email="k2@example.nl")  # reopens the solved one

    assert recount_open_tickets() == 0
    for agent in (sanne, pieter, fatima):
        agent.refresh_from_db()
        assert (
            agent.open_ticket_count
            == Ticket.objects.filter(owner=agent, status__in=["new", "open", "pending", "on_hold"]).count()
        )
