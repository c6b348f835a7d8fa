"""Event payloads equal what the API shows and survive a JSON round trip."""

from __future__ import annotations

import json

import pytest

from helpdesk.realtime.payloads import message_summary, ticket_summary
from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.serializers import EventMessageSerializer, TicketListSerializer
from helpdesk.tickets.services import ticket_reply
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def test_payloads_match_the_api_serializers(sanne, store):
    result = contact("instore", phone="+31612345678", store_id=store.pk, text="Retour")
    ticket = Ticket.objects.select_related("customer", "owner", "team", "store").get(pk=result.ticket_id)
    reply = ticket_reply(ticket=ticket, author=sanne, text="Komt goed", channel="phone")
    ticket.refresh_from_db()
    for payload, expected in (
        (ticket_summary(ticket), TicketListSerializer(ticket).data),
        (message_summary(Message.objects.get(pk=result.message_id)),
         EventMessageSerializer(Message.objects.get(pk=result.message_id)).data),
        (message_summary(reply), EventMessageSerializer(reply).data),
    ):
        assert payload == json.loads(json.dumps(expected))
        assert json.loads(json.dumps(payload)) == payload
