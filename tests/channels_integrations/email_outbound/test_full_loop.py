"""The whole email loop with real mail: Anna mails the shop, is acknowledged, Sanne replies
through the API, the reply leaves by SMTP, Anna answers it quoting the history, and her
answer lands on the same ticket with the quoted part folded away."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from channels_integrations.email.inbound import receive
from helpdesk.tickets.models import Direction, Message, Ticket
from tests.channels_integrations.email_outbound.conftest import ANNA, MAILBOX

pytestmark = pytest.mark.usefixtures("eager_tasks")


def annas_mail(*, to: str, subject: str, body: str, in_reply_to: str = "", references: str = "") -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Anna de Boer <{ANNA}>"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid(domain="mail.example.nl")
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = references
    mail.set_content(body)
    return bytes(mail)


def test_customer_mail_reply_and_answer_stay_on_one_ticket(
    api_as, sanne, mailbox, mailhost, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(annas_mail(to=MAILBOX, subject="Jas ruilen", body="Mijn jas is te klein. Kan ik ruilen?"),
                source="raw", mailbox=mailbox)
    ticket = Ticket.objects.get(customer__identities__value=ANNA)
    [ack] = mailhost.received
    assert ack["Auto-Submitted"] == "auto-replied"

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(sanne).post(f"/api/v1/tickets/{ticket.pk}/reply/",
                                      {"text": "Hoi Anna,\nJa hoor, stuur hem terug met het label."},
                                      format="json")
    assert response.status_code == 201, response.content
    _, reply = mailhost.received
    assert reply["From"].addresses[0].addr_spec == MAILBOX
    assert reply["Subject"] == f"Re: Jas ruilen [#{ticket.pk}]"
    token_address = reply["Reply-To"].addresses[0].addr_spec

    quoted = "\n".join("> " + line for line in reply.get_body(("plain",)).get_content().splitlines())
    answer = annas_mail(
        to=token_address, subject=reply["Subject"].replace("Re:", "RE:"),
        body=f"Dank je, ik stuur hem morgen.\n\nOp dinsdag schreef Klantenservice <{MAILBOX}>:\n{quoted}\n",
        in_reply_to=reply["Message-ID"], references=f'{reply["References"]} {reply["Message-ID"]}',
    )
    with django_capture_on_commit_callbacks(execute=True):
        receive(answer, source="raw", envelope=[token_address])

    assert Ticket.objects.filter(customer__identities__value=ANNA).count() == 1
    inbound = list(Message.objects.filter(ticket=ticket, direction=Direction.IN).order_by("id"))
    assert len(inbound) == 2
    assert inbound[1].text.strip() == "Dank je, ik stuur hem morgen."
    assert "stuur hem terug met het label" not in inbound[1].text
    assert len(mailhost.received) == 2  # an answer on a ticket is not acknowledged again
