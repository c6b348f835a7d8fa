"""A reply to a ticket that changed since the agent loaded it asks first: 409 with what
changed and the reply kept, unless the agent confirms ("send anyway")."""

from __future__ import annotations

import re

import pytest

from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.services import ticket_add_note, ticket_set_status
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def loaded(client, ticket) -> dict:
    """The version fields of the reply form, as the page gave them."""
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("seen_at", "seen_entry")
    }


def replies(ticket) -> list[str]:
    return list(Message.objects.filter(ticket=ticket, direction="out").values_list("text", flat=True))


def test_an_unchanged_ticket_takes_the_reply_at_once(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    response = client.post(
        f"/tickets/{annas_ticket.pk}/reply/", {"text": "Ja hoor", **loaded(client, annas_ticket)}
    )
    assert response.status_code == 302
    assert replies(annas_ticket) == ["Ja hoor"]


def test_a_new_customer_message_since_loading_answers_409_with_it(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    version = loaded(client, annas_ticket)
    contact("whatsapp", phone="+31612345678", handle="31612345678", text="Laat maar, ik kom naar de winkel")

    response = client.post(f"/tickets/{annas_ticket.pk}/reply/", {"text": "Ja hoor, ruilen kan", **version})
    assert response.status_code == 409
    html = response.content.decode()
    conflict = html[html.index('id="conflict"') : html.index("</div>", html.index('id="conflict"'))]
    assert "This ticket changed since you opened it" in conflict
    assert "Anna de Boer wrote" in conflict and "Laat maar, ik kom naar de winkel" in conflict
    assert "Kan ik ruilen?" not in conflict  # seen before: not a change
    assert ">Ja hoor, ruilen kan</textarea>" in html  # the reply is kept, not sent
    assert 'name="confirm" value="1"' in html
    assert replies(annas_ticket) == []


def test_send_anyway_sends_it(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    version = loaded(client, annas_ticket)
    contact("whatsapp", phone="+31612345678", handle="31612345678", text="Nog iets")
    response = client.post(
        f"/tickets/{annas_ticket.pk}/reply/", {"text": "Toch sturen", "confirm": "1", **version}
    )
    assert response.status_code == 302
    assert replies(annas_ticket) == ["Toch sturen"]


def test_after_the_409_the_refreshed_form_sends_without_asking_again(web_as, sanne, annas_ticket):
    client = web_as(sanne)
    version = loaded(client, annas_ticket)
    contact("whatsapp", phone="+31612345678", handle="31612345678", text="Nog iets")
    conflict = client.post(f"/tickets/{annas_ticket.pk}/reply/", {"text": "Eerste poging", **version})
    assert conflict.status_code == 409
    html = conflict.content.decode()
    refreshed = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("seen_at", "seen_entry")
    }
    assert refreshed != version
    response = client.post(f"/tickets/{annas_ticket.pk}/reply/", {"text": "Aangepast antwoord", **refreshed})
    assert response.status_code == 302
    assert replies(annas_ticket) == ["Aangepast antwoord"]


def test_a_colleagues_note_and_status_change_count_as_changes(web_as, sanne, pieter, annas_ticket):
    client = web_as(sanne)
    version = loaded(client, annas_ticket)
    ticket = Ticket.objects.get(pk=annas_ticket.pk)
    ticket_add_note(ticket=ticket, author=pieter, text="Ik heb haar net gebeld")
    ticket_set_status(ticket=ticket, status="pending", actor=pieter)
    response = client.post(f"/tickets/{annas_ticket.pk}/reply/", {"text": "Hallo", **version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Pieter Bakker added a note" in html and "Ik heb haar net gebeld" in html
    assert "Status: open → pending" in html or "Status: new → pending" in html


def test_a_reply_without_the_version_is_refused(web_as, sanne, annas_ticket):
    response = web_as(sanne).post(f"/tickets/{annas_ticket.pk}/reply/", {"text": "Hallo"})
    assert response.status_code == 400
    assert replies(annas_ticket) == []
