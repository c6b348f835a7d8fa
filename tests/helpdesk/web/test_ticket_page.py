"""The ticket page: the customer's one timeline across channels, the customer card, the
orders panel in plain words, and a reply box on the customer's latest channel."""

from __future__ import annotations

import re
import sys
import types

import pytest

from helpdesk.customers.models import Consent, Identity
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import ticket_assign, ticket_open_by_hand
from tests.helpdesk.web.conftest import annas_order

pytestmark = pytest.mark.django_db


def page(client, ticket) -> str:
    response = client.get(f"/tickets/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_timeline_holds_every_channel_and_every_ticket_of_the_customer(web_as, sanne, annas_ticket):
    phone_call = ticket_open_by_hand(
        customer=annas_ticket.customer,
        channel="phone",
        subject="Belde over retour",
        text="Belt over haar retour",
        actor=sanne,
        owner=sanne,
    )
    html = page(web_as(sanne), annas_ticket)
    timeline = html[html.index('id="timeline"') :]
    for text in ("Mijn jas is te klein", "Kan ik ruilen?", "Belt over haar retour"):
        assert text in timeline
    for channel in ("Email", "WhatsApp", "Phone"):
        assert f'<span class="badge badge-channel">{channel}</span>' in timeline
    # Newest first; the other ticket's entries say which ticket they belong to.
    assert (
        timeline.index("Belt over haar retour")
        < timeline.index("Kan ik ruilen?")
        < timeline.index("te klein")
    )
    assert f'href="/tickets/{phone_call.pk}/">on ticket #{phone_call.pk}</a>' in timeline


def test_customer_content_is_escaped(web_as, sanne, annas_ticket):
    from tests.helpdesk.inbound.helpers import contact

    contact("email", email="anna@example.nl", text='<script>alert("x")</script><img src=x onerror=alert(1)>')
    html = page(web_as(sanne), annas_ticket)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_the_customer_card_shows_identities_consents_and_previous_owners(web_as, sanne, pieter, annas_ticket):
    Identity.objects.filter(kind="email").update(verified=True)
    customer = annas_ticket.customer
    Consent.objects.create(customer=customer, channel="email", purpose="surveys", granted=True)
    Consent.objects.create(customer=customer, channel="email", purpose="surveys", granted=False)  # latest
    Consent.objects.create(customer=customer, channel="whatsapp", purpose="service", granted=True)
    ticket_assign(ticket=annas_ticket, owner=pieter, actor=sanne)
    older = ticket_open_by_hand(
        customer=customer, channel="phone", subject="Eerder", text="eerder", actor=sanne, owner=sanne
    )
    Ticket.objects.filter(pk=older.pk).update(status="solved")
    ticket_assign(ticket=annas_ticket, owner=pieter, actor=sanne)

    html = page(web_as(pieter), annas_ticket)
    card = html[html.index('class="card customer-card"') : html.index('class="card orders"')]
    assert "Anna de Boer" in card
    assert re.search(r"anna@example.nl</span>\s*<span class=\"badge badge-ok\">Verified", card)
    assert re.search(r"\+31612345678</span>\s*<span class=\"badge\">Not verified", card)
    assert re.search(r"Email · Surveys:\s*<span class=\"badge badge-warn\">Withdrawn", card)
    assert re.search(r"WhatsApp · Service contact:\s*<span class=\"badge badge-ok\">Granted", card)
    assert card.count("Surveys") == 1  # only the consent in force
    helped = card[card.index("Helped before by") :]
    assert "Sanne de Vries" in helped and "Pieter Bakker" not in helped.split("Other tickets")[0]
    assert f"#{older.pk} Eerder" in card


def test_the_orders_panel_shows_lines_tracking_in_plain_words_and_refunds(web_as, sanne, annas_ticket):
    annas_order("100234", shipment="out_for_delivery")
    annas_order("100101", shipment="returned_to_sender", refunded="49.95")
    html = page(web_as(sanne), annas_ticket)
    orders = html[html.index('class="card orders"') :]
    assert "Order 100234" in orders and "Order 100101" in orders
    assert "1 × Regenjas" in orders and "JKT-1" in orders
    assert "Out for delivery today" in orders
    assert "Returned to sender" in orders
    assert "PostNL" in orders and "3SABC123" in orders
    assert "Return received: “te klein” · refunded EUR 49.95" in orders
    assert orders.count("Link order") == 2


def test_a_linked_order_is_marked_and_comes_first(web_as, sanne, annas_ticket):
    from helpdesk.orders.models import Order
    from helpdesk.tickets.services import ticket_link_order

    annas_order("100234")
    annas_order("100999")
    ticket_link_order(ticket=annas_ticket, order=Order.objects.get(number="100234"), actor=sanne)
    orders = page(web_as(sanne), annas_ticket).split('class="card orders"')[1]
    assert orders.index("Order 100234") < orders.index("Order 100999")
    assert "Linked to this ticket" in orders
    assert "Link order 100234" not in orders and "Link order 100999" in orders


def test_the_reply_box_defaults_to_the_latest_channel_and_offers_the_others(web_as, sanne, annas_ticket):
    html = page(web_as(sanne), annas_ticket)
    select = html[
        html.index('id="reply-channel"') : html.index("</select>", html.index('id="reply-channel"'))
    ]
    assert re.search(r'<option value="whatsapp" selected>WhatsApp \(latest\)', select)
    offered = re.findall(r'<option value="(\w+)"', select)
    assert set(offered) == {"email", "whatsapp", "sms", "phone"}


def test_a_customer_reachable_nowhere_gets_a_note_box_instead(web_as, sanne, store):
    from tests.helpdesk.inbound.helpers import contact

    walk_in = Ticket.objects.get(
        pk=contact("instore", store_id=store.pk, text="Vraag aan de balie").ticket_id
    )
    html = page(web_as(sanne), walk_in)
    assert "cannot be reached on any channel" in html
    assert 'id="reply-text"' not in html


def test_a_chat_ticket_shows_the_visitor_email_and_whether_it_is_verified(
    web_as, sanne, annas_ticket, monkeypatch
):
    seen = []

    def conversation_for_ticket(ticket_id):
        seen.append(ticket_id)
        return {
            "email": "anna@example.nl",
            "email_verified": False,
            "verified_via": "",
            "name": "Anna",
            "visitor": "v-1",
            "widget": "Webshop",
        }

    fake = types.ModuleType("channels_integrations.chat.selectors")
    fake.conversation_for_ticket = conversation_for_ticket
    monkeypatch.setitem(sys.modules, "channels_integrations.chat.selectors", fake)
    html = page(web_as(sanne), annas_ticket)
    assert seen == [annas_ticket.pk]
    assert "Live chat visitor" in html and "Email not verified" in html

    fake.conversation_for_ticket = lambda ticket_id: {
        "email": "anna@example.nl",
        "email_verified": True,
        "verified_via": "order number",
        "name": "",
        "visitor": "v-1",
        "widget": "Webshop",
    }
    html = page(web_as(sanne), annas_ticket)
    assert "Email verified" in html and "via order number" in html


def test_without_the_chat_module_the_page_still_works(web_as, sanne, annas_ticket, monkeypatch):
    monkeypatch.setitem(sys.modules, "channels_integrations.chat.selectors", None)  # import fails
    html = page(web_as(sanne), annas_ticket)
    assert "Live chat visitor" not in html


def test_the_live_partials_carry_the_summary_and_the_timeline(web_as, sanne, annas_ticket):
    data = web_as(sanne).get(f"/tickets/{annas_ticket.pk}/live/").json()
    assert "Kan ik ruilen?" in data["timeline"]
    assert "status-new" in data["summary"] or "status-open" in data["summary"]
