"""Raw messages from an MTA pipe: the API endpoint and `manage.py ingest_email`, with the
mail real servers send (wrong or missing charsets, encoded-words, raw 8-bit headers)."""

from __future__ import annotations

import io
import mailbox as mailboxes
import sys

import pytest
from django.core.management import call_command

from channels_integrations.email.models import InboundEmail
from helpdesk.tickets.models import Message
from tests.channels_integrations.email.conftest import SUPPORT, mail

pytestmark = pytest.mark.django_db

RAW_URL = "/api/v1/inbound/email/raw/"

TORTURE = {
    # declared us-ascii, really UTF-8
    "wrong charset": (
        b"From: anna@example.nl\r\nTo: support@shop.example\r\nSubject: maat\r\n"
        b"Message-ID: <t1@x>\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        + "Grüße, één maat groter graag".encode(),
        "Grüße, één maat groter graag",
        "maat",
        "",
    ),
    # no charset, cp1252 bytes (the euro sign)
    "missing charset": (
        b"From: anna@example.nl\r\nTo: support@shop.example\r\nSubject: prijs\r\n"
        b"Message-ID: <t2@x>\r\nContent-Type: text/plain\r\n\r\nDe jas kost \x80 89,95 na korting",
        "De jas kost € 89,95 na korting",
        "prijs",
        "",
    ),
    # a charset nobody knows, latin-1 bytes
    "unknown charset": (
        b"From: anna@example.nl\r\nTo: support@shop.example\r\nSubject: x\r\n"
        b"Message-ID: <t3@x>\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\ncaf\xe9",
        "café",
        "x",
        "",
    ),
    # RFC 2047 encoded-words in From and Subject, one of them broken
    "encoded words": (
        b"From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jurgen@example.de>\r\nTo: support@shop.example\r\n"
        b"Subject: =?iso-8859-1?q?R=E9clamation?= =?utf-8?B?w6nDqQ==?= =?bogus?q?=41?=\r\n"
        b"Message-ID: <t4@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo",
        "Hallo",
        "Réclamationéé A",
        "Jürgen Müller",
    ),
    # raw 8-bit UTF-8 in the headers
    "8-bit headers": (
        b"From: Ren\xc3\xa9e Dupont <renee@example.fr>\r\nTo: support@shop.example\r\n"
        b"Subject: \xc3\x89t\xc3\xa9 collection\r\nMessage-ID: <t5@x>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour",
        "Bonjour",
        "Été collection",
        "Renée Dupont",
    ),
}


@pytest.mark.parametrize("case", TORTURE)
def test_the_raw_endpoint_survives_real_world_encodings(admin_api, service_team, case):
    raw, text, subject, name = TORTURE[case]

    response = admin_api.post(RAW_URL, raw, content_type="message/rfc822")

    assert response.status_code == 201, response.content
    assert response.json()["state"] == "ingested"
    message = Message.objects.get(pk=response.json()["message"])
    assert (message.text, message.subject) == (text, subject)
    if name:
        assert message.customer.name == name


def test_the_raw_endpoint_answers_a_redelivery_with_the_same_ids(admin_api, service_team):
    raw = mail(message_id="<same@x>")
    first = admin_api.post(RAW_URL, raw, content_type="message/rfc822")
    again = admin_api.post(RAW_URL, raw, content_type="message/rfc822")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["message"] == again.json()["message"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize("role", ["sanne", "fatima", "admin_user"])
def test_service_roles_may_post_raw_mail(api_as, role, request, service_team):
    user = request.getfixturevalue(role)
    response = api_as(user).post(RAW_URL, mail(), content_type="message/rfc822")
    assert response.status_code == 201


def test_store_staff_and_strangers_may_not(api_as, daan, client):
    assert api_as(daan).post(RAW_URL, mail(), content_type="message/rfc822").status_code == 403
    assert client.post(RAW_URL, mail(), content_type="message/rfc822").status_code in (401, 403)
    assert not InboundEmail.objects.exists()


def test_an_empty_body_is_a_clear_error(admin_api):
    response = admin_api.post(RAW_URL, b"", content_type="message/rfc822")
    assert response.status_code == 400 and "message/rfc822" in response.json()["detail"]


def test_ingest_email_reads_files_maildirs_mboxes_and_stdin(tmp_path, service_team, monkeypatch, capsys):
    single = tmp_path / "one.eml"
    single.write_bytes(mail(message_id="<file@x>", sender="a@example.nl"))
    maildir = mailboxes.Maildir(tmp_path / "Maildir", create=True)
    maildir.add(mail(message_id="<md-new@x>", sender="b@example.nl"))
    key = maildir.add(mail(message_id="<md-cur@x>", sender="c@example.nl"))
    maildir.get_message(key).set_subdir("cur")
    box = mailboxes.mbox(tmp_path / "archive.mbox")
    box.add(mail(message_id="<mbox-1@x>", sender="d@example.nl"))
    box.add(mail(message_id="<mbox-2@x>", sender="e@example.nl"))
    box.close()
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(mail(message_id="<stdin@x>", sender="f@example.nl")))
    )

    call_command(
        "ingest_email", str(single), str(tmp_path / "Maildir"), str(tmp_path / "archive.mbox"), "-", "--json"
    )
    call_command("ingest_email", str(single))  # again: nothing new

    assert sorted(Message.objects.values_list("thread_id", flat=True)) == [
        "file@x",
        "mbox-1@x",
        "mbox-2@x",
        "md-cur@x",
        "md-new@x",
        "stdin@x",
    ]
    assert '"messages": 6' in capsys.readouterr().out


def test_ingest_email_names_a_missing_path(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest_email", str(tmp_path / "nope.eml"))


def test_the_mailbox_option_sets_the_account(tmp_path, service_team):
    from channels_integrations.email.models import Mailbox

    Mailbox.objects.create(address="winkel@shop.example")
    path = tmp_path / "m.eml"
    path.write_bytes(mail(to="someone-else@example.org"))
    call_command("ingest_email", str(path), "--mailbox", "winkel@shop.example")
    assert Message.objects.get().account == "winkel@shop.example"
    assert SUPPORT != "winkel@shop.example"
