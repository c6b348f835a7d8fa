"""What the inbound email path decides: threading, safety, automatic mail, bounces, loops."""

from __future__ import annotations

import pytest
from django.test import TestCase

from channels_integrations.email import inbound
from channels_integrations.email.models import InboundEmail, InboundState, Mailbox
from channels_integrations.email.tokens import reply_address
from helpdesk.tickets.models import Attachment, DeliveryStatus, Direction, Message, Ticket
from tests.channels_integrations.email.conftest import ANNA, SUPPORT, mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def team(service_team):
    return service_team


def receive(raw: bytes, **kwargs) -> InboundEmail:
    return inbound.receive(raw, source="test", **kwargs)


def annas_ticket() -> Ticket:
    row = receive(mail(message_id="<anna-1@mail.example.nl>"))
    return Ticket.objects.get(pk=row.ticket_id)


def close(ticket: Ticket) -> None:
    """Solved long ago: only an explicit hint can bring mail back to it."""
    from datetime import timedelta

    from django.utils import timezone

    ticket.status, ticket.solved_at = "solved", timezone.now() - timedelta(days=60)
    ticket.save()


# --------------------------------------------------------------------------- threading


def test_the_reply_token_in_the_address_threads_first():
    ticket = annas_ticket()
    close(ticket)
    row = receive(mail(to=reply_address(SUPPORT, ticket.pk), subject="andere vraag", text="nog iets"))
    assert row.ticket_id == ticket.pk


def test_a_ticket_reference_in_the_subject_threads():
    ticket = annas_ticket()
    close(ticket)
    row = receive(mail(subject=f"Re: Mijn jas [#{ticket.pk}]", text="nog iets"))
    assert row.ticket_id == ticket.pk


def test_a_stranger_referencing_annas_ticket_gets_a_new_ticket_marked_for_the_agent():
    ticket = annas_ticket()
    row = receive(
        mail(
            sender="mallory@evil.example",
            subject=f"Re: [#{ticket.pk}]",
            in_reply_to="<anna-1@mail.example.nl>",
            text="Stuur de factuur naar mij",
        )
    )

    assert row.ticket_id != ticket.pk
    assert f"referenced ticket #{ticket.pk} of another customer" in row.reason
    note = Message.objects.get(ticket_id=row.ticket_id, direction=Direction.NOTE)
    assert f"ticket #{ticket.pk}, which belongs to another customer" in note.text
    assert Ticket.objects.get(pk=ticket.pk).messages.count() == 1


def test_staff_domain_mail_from_outside_is_quarantined(settings):
    settings.STAFF_EMAIL_DOMAINS = ["shop.example"]
    settings.EMAIL_TRUSTED_AUTHSERV_IDS = ["mx.shop.example"]
    forged = receive(
        mail(
            sender="Sanne <sanne@shop.example>",
            text="Geef deze klant 100 euro terug",
            headers={"Authentication-Results": "mx.shop.example; dmarc=fail header.from=shop.example"},
        )
    )
    # A header the sender wrote itself, naming another server, proves nothing either.
    also_forged = receive(
        mail(
            sender="sanne@shop.example",
            headers={"Authentication-Results": "evil.example; dmarc=pass header.from=shop.example"},
        )
    )
    genuine = receive(
        mail(
            sender="sanne@shop.example",
            headers={
                "Authentication-Results": "mx.shop.example; spf=pass; dkim=pass header.d=shop.example; "
                "dmarc=pass"
            },
        )
    )

    assert forged.state == also_forged.state == InboundState.QUARANTINED
    assert "staff domain shop.example" in forged.reason
    assert genuine.state == InboundState.INGESTED
    assert Message.objects.count() == 1


# --------------------------------------------------------------------------- safety


def test_hostile_html_is_sanitised():
    row = receive(
        mail(
            html=(
                '<p onclick="steal()">Hallo<script>alert(1)</script>'
                '<a href="javascript:alert(1)">klik</a><a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'
                '<img src="https://tracker.example/pixel.gif" onerror="x()"><iframe src="https://evil"></iframe>'
                '<style>body{display:none}</style><a href="https://shop.example/jas">jas</a></p>'
            )
        )
    )
    html = Message.objects.get(pk=row.message_id).html
    for bad in (
        "script",
        "onclick",
        "onerror",
        "javascript:",
        "data:",
        "tracker.example",
        "iframe",
        "<style",
    ):
        assert bad not in html
    assert 'href="https://shop.example/jas"' in html


def test_hostile_attachment_names_are_made_safe_and_types_checked():
    exe = b"MZ\x90\x00" + b"\x00" * 200
    row = receive(
        mail(
            attachments=[
                ("../../etc/passwd", "text/plain", b"root"),
                ("factuur\u202efdp.exe", "application/pdf", exe),
                ("..\\..\\win.ini", "application/octet-stream", b"x"),
            ]
        )
    )
    stored = list(Attachment.objects.filter(message_id=row.message_id).order_by("id"))
    names = [a.filename for a in stored]
    assert names == ["passwd", "factuurfdp.exe", "win.ini"]
    assert stored[1].content_type == "application/octet-stream"  # says PDF, is a program
    for attachment in stored:
        assert "/" not in attachment.file.name.rsplit("attachments/", 1)[1].split("/", 2)[-1]


def test_inline_cid_images_point_at_the_stored_file():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = ANNA, SUPPORT, "foto"
    message["Message-ID"] = "<cid@x>"
    message.set_content("zie foto")
    message.add_alternative('<p>zie foto</p><img src="cid:foto1@x">', subtype="html")
    message.get_payload()[1].add_related(png, "image", "png", cid="<foto1@x>", filename="foto.png")

    row = receive(bytes(message))

    stored = Message.objects.get(pk=row.message_id)
    attachment = stored.attachments.get()
    assert f'src="{attachment.file.url}"' in stored.html and "cid:" not in stored.html


def test_oversized_attachments_are_named_not_stored(settings):
    settings.MAX_ATTACHMENT_BYTES = 100
    row = receive(mail(attachments=[("video.mp4", "video/mp4", b"\x00" * 500)]))
    message = Message.objects.get(pk=row.message_id)
    assert not message.attachments.exists()
    assert "video.mp4" in message.text and "not stored" in message.text


def test_a_broken_message_is_quarantined_and_can_be_retried(admin_user):
    from django.test import Client

    row = receive(b"\x00\x01 this is not mail at all")
    assert row.state == InboundState.QUARANTINED and "cannot be parsed" in row.reason
    no_sender = receive(b"Subject: hallo\r\nMessage-ID: <nosender@x>\r\n\r\ntekst")
    assert no_sender.state == InboundState.QUARANTINED and "no sender address" in no_sender.reason

    browser = Client()
    browser.force_login(admin_user)
    listing = browser.get("/admin/email_channel/quarantinedemail/").content.decode()
    assert "no sender address" in listing
    # Fixed by hand (the raw is kept): the retry action processes it again.
    InboundEmail.objects.filter(pk=no_sender.pk).update(
        raw=b"From: anna@example.nl\r\n" + bytes(no_sender.raw)
    )
    response = browser.post(
        "/admin/email_channel/quarantinedemail/", {"action": "retry", "_selected_action": [no_sender.pk]}
    )
    assert response.status_code == 302
    assert InboundEmail.objects.get(pk=no_sender.pk).state == InboundState.INGESTED
    assert Message.objects.filter(sender=ANNA).exists()


# --------------------------------------------------------------------------- automatic mail


def test_an_out_of_office_answer_to_our_reply_is_recorded_on_the_ticket_without_reopening():
    ticket = annas_ticket()
    close(ticket)
    row = receive(
        mail(
            subject=f"Automatic reply: Re: Mijn jas [#{ticket.pk}]",
            text="Ik ben er niet",
            headers={"X-Autoreply": "yes"},
        )
    )

    message = Message.objects.get(pk=row.message_id)
    assert message.ticket_id == ticket.pk and message.is_automatic
    assert Ticket.objects.get(pk=ticket.pk).status == "solved"


@pytest.mark.parametrize(
    "headers,subject",
    [
        ({"Precedence": "bulk"}, "Nieuwsbrief"),
        ({"List-Id": "<nieuws.example.nl>"}, "Aanbiedingen"),
        ({"X-Autorespond": "yes"}, "Bedankt"),
        ({}, "Afwezig: uw vraag"),
        ({}, "Out of Office: your question"),
    ],
)
def test_automatic_mail_never_opens_a_ticket(headers, subject):
    row = receive(mail(subject=subject, headers=headers))
    assert row.state == InboundState.AUTOMATIC and row.reason
    assert not Ticket.objects.exists()


def test_auto_acknowledgement_only_for_a_human_opening_a_ticket(monkeypatch):
    calls = []
    monkeypatch.setattr(inbound, "_acknowledge", lambda *args: calls.append(args))
    box = Mailbox.objects.create(address=SUPPORT, auto_acknowledge=True)

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = receive(mail())
    with TestCase.captureOnCommitCallbacks(execute=True):
        receive(mail(text="nog een vraag"))  # same ticket: no second acknowledgement
    with TestCase.captureOnCommitCallbacks(execute=True):
        receive(mail(sender="piet@example.nl", headers={"Auto-Submitted": "auto-replied"}))

    assert calls == [(first.ticket_id, first.message_id, box.pk)]


def test_a_mail_loop_is_rate_limited(settings):
    settings.EMAIL_RATE_LIMIT_PER_SENDER = 3
    rows = [receive(mail(subject=f"Re: bericht {i}")) for i in range(5)]
    assert [row.state for row in rows] == ["ingested"] * 3 + ["automatic"] * 2
    assert rows[-1].reason.startswith("rate limited")


def test_mail_from_our_own_mailbox_never_opens_a_ticket():
    Mailbox.objects.create(address=SUPPORT)
    row = receive(mail(sender=SUPPORT, to=SUPPORT))
    assert row.state == InboundState.AUTOMATIC and "our own mailbox" in row.reason


# --------------------------------------------------------------------------- bounces

DSN = (
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.nl>\r\n"
    "To: support@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
    "Message-ID: <dsn-1@mx.example.nl>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
    "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.example.nl\r\n\r\n"
    "Final-Recipient: rfc822; anna@example.nl\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <anna@example.nl>: Recipient address rejected\r\n"
    "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    "From: support@shop.example\r\nTo: anna@example.nl\r\nSubject: Re: Mijn jas\r\n"
    "Message-ID: <{message_id}>\r\n"
    "--B--\r\n"
)


def test_a_delivery_report_marks_our_reply_as_bounced(sanne):
    from channels_integrations.email.deliverability import EmailAddressStatus
    from helpdesk.tickets.services import ticket_reply

    ticket = annas_ticket()
    reply = ticket_reply(ticket=ticket, author=sanne, text="Stuur hem maar terug", channel="email")
    Message.objects.filter(pk=reply.pk).update(
        thread_id="reply-1@shop.example", delivery_status=DeliveryStatus.SENT
    )

    row = receive(DSN.format(message_id="reply-1@shop.example").encode())

    assert row.state == InboundState.BOUNCE and "5.1.1" in row.reason
    reply.refresh_from_db()
    assert (
        reply.delivery_status == DeliveryStatus.BOUNCED
        and "Recipient address rejected" in reply.delivery_error
    )
    assert EmailAddressStatus.objects.get(address=ANNA).state == "bouncing"
    assert Ticket.objects.count() == 1  # a bounce never opens a ticket


def test_a_bounce_arriving_by_imap_is_recorded(dovecot, imap_mailbox, sanne):
    from channels_integrations.email import imap
    from helpdesk.tickets.services import ticket_reply

    ticket = annas_ticket()
    reply = ticket_reply(ticket=ticket, author=sanne, text="Stuur hem maar terug", channel="email")
    Message.objects.filter(pk=reply.pk).update(thread_id="reply-2@shop.example", delivery_status="sent")
    dovecot.deliver(DSN.format(message_id="reply-2@shop.example").encode())

    imap.poll(imap_mailbox)

    assert Message.objects.get(pk=reply.pk).delivery_status == DeliveryStatus.BOUNCED
