"""Canned replies: placeholders filled per ticket as plain text, never as a template."""

from __future__ import annotations

import json
import re

import pytest

from agents.models import CannedReply, Team
from helpdesk.customers.models import Customer
from helpdesk.orders.models import Order
from helpdesk.tickets.services import ticket_link_order
from helpdesk.web.canned import fill
from tests.helpdesk.web.conftest import annas_order

pytestmark = pytest.mark.django_db

BODY = (
    "Hoi {{ customer.first_name }}, je bestelling {{order.number}} is onderweg. "
    "Groet, {{ agent.name }} (#{{ ticket.id }})"
)


def canned_on_page(client, ticket) -> list[dict]:
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    script = re.search(r'<script id="canned-data" type="application/json">(.*?)</script>', html, re.S).group(
        1
    )
    return json.loads(script)


def test_placeholders_are_filled_for_this_ticket(web_as, sanne, annas_ticket):
    annas_order("100234")
    ticket_link_order(ticket=annas_ticket, order=Order.objects.get(number="100234"), actor=sanne)
    CannedReply.objects.create(title="Onderweg", body=BODY, shortcut="onderweg")
    [reply] = canned_on_page(web_as(sanne), annas_ticket)
    assert reply["text"] == (
        f"Hoi Anna, je bestelling 100234 is onderweg. Groet, Sanne de Vries (#{annas_ticket.pk})"
    )
    assert reply["missing"] == [] and reply["shortcut"] == "onderweg"


def test_a_placeholder_without_a_value_stays_visible_and_is_reported(web_as, sanne, annas_ticket):
    CannedReply.objects.create(title="Onderweg", body=BODY)
    [reply] = canned_on_page(web_as(sanne), annas_ticket)  # no order linked
    assert "je bestelling {{order.number}} is onderweg" in reply["text"]
    assert reply["missing"] == ["order.number"]


def test_unknown_placeholders_and_template_tags_are_left_alone():
    values = {"customer.name": "Anna", "agent.name": "Sanne"}
    text, missing = fill(
        "{{ settings.SECRET_KEY }} {% debug %} {{ customer.name|upper }} {{ customer.name }}", values
    )
    assert text == "{{ settings.SECRET_KEY }} {% debug %} {{ customer.name|upper }} Anna"
    assert missing == ["settings.SECRET_KEY"]


def test_a_customer_name_is_inserted_as_text_once_never_expanded(web_as, sanne, annas_ticket):
    Customer.objects.filter(pk=annas_ticket.customer_id).update(
        name="{{ agent.name }} </script><script>alert(1)"
    )
    CannedReply.objects.create(title="Groet", body="Beste {{ customer.name }}, groet {{ agent.name }}")
    client = web_as(sanne)
    html = client.get(f"/tickets/{annas_ticket.pk}/").content.decode()
    assert "</script><script>alert(1)" not in html  # json_script escapes it
    [reply] = canned_on_page(client, annas_ticket)
    assert reply["text"] == "Beste {{ agent.name }} </script><script>alert(1), groet Sanne de Vries"


def test_agents_get_the_shared_replies_and_their_teams_own(web_as, sanne, service_team, annas_ticket):
    other_team = Team.objects.create(name="Zakelijk")
    CannedReply.objects.create(title="Voor iedereen", body="a")
    CannedReply.objects.create(title="Klantenservice", body="b", team=service_team)
    CannedReply.objects.create(title="Zakelijk", body="c", team=other_team)
    titles = {reply["title"] for reply in canned_on_page(web_as(sanne), annas_ticket)}
    assert titles == {"Voor iedereen", "Klantenservice"}


def test_the_picker_lists_them_by_title_and_shortcut(web_as, sanne, annas_ticket):
    CannedReply.objects.create(title="Retour", body="x", shortcut="retour")
    html = web_as(sanne).get(f"/tickets/{annas_ticket.pk}/").content.decode()
    assert re.search(r'<option value="\d+">Retour · ;retour</option>', html)
