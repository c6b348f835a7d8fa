"""An agent's reply on an email ticket leaves through the real SMTP backend as a proper
threaded mail, exactly once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from channels_integrations.email.tokens import ticket_id_from_address
from helpdesk.tickets.models import DeliveryStatus, Message
from helpdesk.tickets.tasks import deliver_message
from tests.channels_integrations.email_outbound.conftest import ANNA, ANNAS_MESSAGE_ID, MAILBOX

pytestmark = pytest.mark.usefixtures("eager_tasks")


def reply(api_as, user, ticket, text: str, capture, **files):
    with capture(execute=True):
        response = api_as(user).post(
            f"/api/v1/tickets/{ticket.pk}/reply/", {"text": text, **files}, format="multipart"
        )
    assert response.status_code == 201, response.content
    return Message.objects.get(pk=response.json()["id"])


def test_the_reply_arrives_threaded_with_token_parts_and_attachment(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    receipt = SimpleUploadedFile("retourlabel.pdf", b"%PDF-1.4 label", content_type="application/pdf")
    message = reply(api_as, sanne, annas_ticket, "Hoi Anna,\n\nNatuurlijk! <b>Stuur</b> hem terug.",
                    django_capture_on_commit_callbacks, attachments=[receipt])

    [mail] = mailhost.received
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT
    assert mailhost.envelopes[0][1] == [ANNA]
    # Our own Message-ID, stored before sending, and the customer's thread.
    assert message.thread_id.endswith("@shop.example") and "<" not in message.thread_id
    assert mail["Message-ID"] == f"<{message.thread_id}>"
    assert mail["In-Reply-To"] == f"<{ANNAS_MESSAGE_ID}>"
    assert mail["References"] == f"<{ANNAS_MESSAGE_ID}>"
    # From the mailbox Anna wrote to; answers come back to the ticket's token address.
    assert mail["From"].addresses[0].addr_spec == MAILBOX
    assert mail["From"].addresses[0].display_name == "Regenjassenhuis Klantenservice"
    reply_to = mail["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("support+t") and reply_to.endswith("@shop.example")
    assert ticket_id_from_address(reply_to) == annas_ticket.pk
    assert mail["Subject"] == f"Re: Ruilen jas [#{annas_ticket.pk}]"
    assert mail["Auto-Submitted"] is None  # a person wrote this one
    # A text part and an HTML part; the HTML escapes the agent's text and keeps the line breaks.
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Natuurlijk! <b>Stuur</b> hem terug." in text
    assert "&lt;b&gt;Stuur&lt;/b&gt;" in html and "<b>Stuur</b>" not in html
    assert "<p>Hoi Anna,</p>" in html
    assert "Sanne de Vries" in text and f"[#{annas_ticket.pk}]" in html
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "retourlabel.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.4 label"

    # The agent sees it went out.
    shown = api_as(sanne).get(f"/api/v1/tickets/{annas_ticket.pk}/").json()["messages"][-1]
    assert (shown["id"], shown["delivery_status"]) == (message.pk, "sent")


def test_running_the_task_again_sends_nothing_more(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = reply(api_as, sanne, annas_ticket, "Komt goed.", django_capture_on_commit_callbacks)
    assert len(mailhost.received) == 1

    assert deliver_message.apply(args=[message.pk]).get() == "skipped"
    assert deliver_message.apply(args=[message.pk]).get() == "skipped"
    assert len(mailhost.received) == 1
    assert mailhost.attempts == 1


def test_a_second_reply_references_the_whole_thread(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    first = reply(api_as, sanne, annas_ticket, "Eerste antwoord", django_capture_on_commit_callbacks)
    second = reply(api_as, sanne, annas_ticket, "Tweede antwoord", django_capture_on_commit_callbacks)
    first.refresh_from_db()
    _, mail = mailhost.received
    assert mail["Message-ID"] == f"<{Message.objects.get(pk=second.pk).thread_id}>" != f"<{first.thread_id}>"
    assert mail["In-Reply-To"] == f"<{first.thread_id}>"
    assert mail["References"].split() == [f"<{ANNAS_MESSAGE_ID}>", f"<{first.thread_id}>"]
    assert mail["Subject"] == f"Re: Ruilen jas [#{annas_ticket.pk}]"


def test_a_reply_without_an_inbound_mail_goes_from_the_default_sender(
    api_as, sanne, mailhost, django_capture_on_commit_callbacks
):
    response = api_as(sanne).post("/api/v1/tickets/", {
        "customer_email": "bram@example.nl", "subject": "Re: [#9] Factuur", "text": "Belverzoek",
        "channel": "phone",
    }, format="json")
    assert response.status_code == 201, response.content
    ticket_id = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(sanne).post(f"/api/v1/tickets/{ticket_id}/reply/",
                                      {"text": "Hierbij de factuur.", "channel": "email"}, format="json")
    assert response.status_code == 201, response.content

    [mail] = mailhost.received
    assert mail["From"].addresses[0].addr_spec == "service@shop.example"
    assert mail["To"].addresses[0].addr_spec == "bram@example.nl"
    assert mail["In-Reply-To"] is None
    assert mail["Subject"] == f"Re: Factuur [#{ticket_id}]"
    assert ticket_id_from_address(mail["Reply-To"].addresses[0].addr_spec) == ticket_id


def test_too_many_attachments_are_refused_and_nothing_is_stored(api_as, sanne, annas_ticket, settings):
    settings.MAX_ATTACHMENTS_PER_MESSAGE = 1
    files = [SimpleUploadedFile(f"{i}.txt", b"x", content_type="text/plain") for i in range(2)]
    response = api_as(sanne).post(f"/api/v1/tickets/{annas_ticket.pk}/reply/",
                                  {"text": "twee bijlagen", "attachments": files}, format="multipart")
    assert response.status_code == 400
    assert "at most 1" in response.content.decode()
    assert not Message.objects.filter(ticket=annas_ticket, text="twee bijlagen").exists()
