"""A signed token resumes the conversation with its visitor-visible history, and nothing else."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from channels_integrations.chat import tokens
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import ticket_add_note, ticket_reply
from tests.channels_integrations.chat.helpers import Visitor
from tests.helpdesk.inbound.helpers import contact

pytestmark = [pytest.mark.django_db(transaction=True)]


def agent_answers(ticket_id: int, sanne, *, also_by_email: bool = False) -> None:
    ticket = Ticket.objects.get(pk=ticket_id)
    ticket_add_note(ticket=ticket, author=sanne, text="Intern: klant belde gisteren boos")
    ticket_reply(ticket=ticket, author=sanne, text="Hij is morgen binnen!")
    if also_by_email:
        ticket_reply(ticket=ticket, author=sanne, text="Per mail: uw factuur", channel="email")


async def test_the_token_brings_back_the_history_without_notes(widget, sanne):
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start()
    ack = await visitor.say("Is de jas binnen?")
    await database_sync_to_async(lambda: contact("email", email="x@example.nl"))()  # someone else
    await visitor.close()
    await database_sync_to_async(agent_answers)(await ticket_of(ack["id"]), sanne)

    back = Visitor(widget.key)
    await back.connect()
    resumed = await back.start(token=session["token"])
    assert resumed["resumed"] is True
    assert [(m["direction"], m["text"]) for m in resumed["history"]] == [
        ("in", "Is de jas binnen?"), ("out", "Hij is morgen binnen!"),
    ]
    assert resumed["history"][1]["author"] == {"name": "Sanne de Vries", "initials": "SD", "avatar": None}
    assert set(resumed["history"][0]) == {"id", "direction", "text", "author", "sent_at", "attachments"}
    assert "Intern" not in json.dumps(resumed)
    await back.close()


async def test_a_known_email_never_brings_the_customers_history_to_the_visitor(widget, sanne):
    # Anna wrote before by email; someone types her address into the chat.
    await database_sync_to_async(lambda: contact(
        "email", email="anna@example.nl", name="Anna de Boer", text="Mijn adres is Geheimstraat 1"
    ))()
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start(email="anna@example.nl")
    ack = await visitor.say("Waar is mijn pakket?")
    await database_sync_to_async(agent_answers)(await ticket_of(ack["id"]), sanne, also_by_email=True)
    await visitor.close()

    back = Visitor(widget.key)
    await back.connect()
    resumed = await back.start(token=session["token"])
    dumped = json.dumps(resumed)
    assert [m["text"] for m in resumed["history"]] == ["Waar is mijn pakket?", "Hij is morgen binnen!"]
    for secret in ("Geheimstraat", "Anna de Boer", "factuur", "Intern"):
        assert secret not in dumped
    await back.close()


async def test_a_forged_or_foreign_token_starts_a_new_conversation(widget):
    visitor = Visitor(widget.key)
    await visitor.connect()
    session = await visitor.start()
    await visitor.say("Eerste gesprek")
    claims = tokens.read_visitor_token(session["token"], widget_id=widget.pk)
    other_widget = tokens.visitor_token(conversation_id=claims.conversation_id, widget_id=widget.pk + 1,
                                        visitor=claims.visitor)
    for token in (session["token"][:-2] + "xx", other_widget):
        await visitor.send({"type": "start", "token": token})
        fresh = await visitor.expect("session")
        assert fresh["resumed"] is False and fresh["history"] == []
    await visitor.close()


@database_sync_to_async
def ticket_of(message_id: int) -> int:
    from helpdesk.tickets.models import Message

    return Message.objects.get(pk=message_id).ticket_id
