"""No agent online: the visitor leaves a message and an address, the agent's answer leaves by
email from the ticket's token address, and the visitor's emailed answer lands on the same
ticket (issue 3: "the conversation continues by email on the same ticket")."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from channels_integrations.chat.selectors import conversation_for_ticket
from channels_integrations.email.inbound import receive
from helpdesk.tickets.models import Channel, Direction, Message, Ticket
from tests.channels_integrations.chat.helpers import Visitor
from tests.channels_integrations.email_outbound.conftest import (  # noqa: F401 (fixtures)
    eager_tasks,
    mailbox,
    mailhost,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

KEES = "kees@example.nl"


async def leave_message(widget_key: str) -> int:
    visitor = Visitor(widget_key)
    await visitor.connect()
    await visitor.start()
    await visitor.send({"type": "leave_message", "client_id": "off1", "email": KEES, "name": "Kees",
                        "text": "Mijn bestelling 100234 is nog niet binnen, wanneer komt die?"})
    ack = await visitor.expect("ack")
    await visitor.close()
    return ack["id"]


def keess_answer(*, to: str, reply: EmailMessage) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Kees <{KEES}>"
    mail["To"] = to
    mail["Subject"] = "Re: " + reply["Subject"]
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid(domain="example.nl")
    mail["In-Reply-To"] = reply["Message-ID"]
    mail["References"] = reply["Message-ID"]
    quoted = "\n".join("> " + line for line in reply.get_body(("plain",)).get_content().splitlines())
    mail.set_content(f"Top, dank jullie wel!\n\nOp woensdag schreef Klantenservice:\n{quoted}\n")
    return bytes(mail)


def test_a_left_message_is_answered_by_email_and_the_answer_comes_back_to_the_ticket(
    widget, sanne, api_as, client, mailbox, mailhost  # noqa: F811
):
    message_id = async_to_sync(leave_message)(widget.key)
    chat_message = Message.objects.get(pk=message_id)
    ticket = chat_message.ticket
    # The visitor has gone: the workspace's reply box (and the API's default) is email.
    assert conversation_for_ticket(ticket.pk)["reply_channel_hint"] == Channel.EMAIL
    client.force_login(sanne)
    page = client.get(f"/tickets/{ticket.pk}/")
    assert page.context["default_channel"] == Channel.EMAIL

    response = api_as(sanne).post(
        f"/api/v1/tickets/{ticket.pk}/reply/",
        {"text": "Hoi Kees,\nJe pakket is vandaag bij PostNL afgegeven."},
        format="json",
    )
    assert response.json()["channel"] == Channel.EMAIL
    assert response.status_code == 201, response.content
    # Kees also got the link that confirms his address; the answer is the one on the ticket.
    [reply] = [mail for mail in mailhost.to(KEES) if f"[#{ticket.pk}]" in mail["Subject"]]
    token_address = reply["Reply-To"].addresses[0].addr_spec
    assert token_address != mailbox.address and token_address.endswith("@shop.example")

    receive(keess_answer(to=token_address, reply=reply), source="raw", envelope=[token_address])

    assert Ticket.objects.filter(customer_id=ticket.customer_id).count() == 1
    answers = list(Message.objects.filter(ticket=ticket, direction=Direction.IN).order_by("id"))
    assert [m.channel for m in answers] == ["chat", "email"]
    assert answers[1].text.strip() == "Top, dank jullie wel!"
    ticket.refresh_from_db()
    assert ticket.last_channel == Channel.EMAIL
