"""A real IMAP server (Dovecot): a customer mails the support address, polling does the rest."""

from __future__ import annotations

import pytest
from django.utils import timezone

from channels_integrations.email import imap
from channels_integrations.email.models import (
    AfterProcessing,
    ImapSecurity,
    InboundEmail,
    InboundState,
    Mailbox,
)
from channels_integrations.email.tasks import poll_mailboxes
from helpdesk.tickets.models import Message, Ticket
from tests.channels_integrations.email.conftest import ANNA, SUPPORT, USERS, mail

pytestmark = pytest.mark.django_db


def test_a_customer_mail_opens_a_ticket_and_is_flagged_on_the_server(dovecot, imap_mailbox):
    dovecot.deliver(mail(message_id="<first@mail.example.nl>"))

    report = imap.poll(imap_mailbox)

    assert (report.fetched, report.error) == (1, "")
    message = Message.objects.get()
    assert (message.channel, message.direction, message.sender, message.account) == (
        "email",
        "in",
        ANNA,
        SUPPORT,
    )
    assert message.ticket.subject == "Mijn jas is te klein"
    assert message.text == "Kan ik mijn jas ruilen voor een maat groter?"
    assert message.thread_id == "first@mail.example.nl"
    (flags,) = dovecot.flags().values()
    assert b"\\Seen" in flags and b"$HelpdeskProcessed" in flags
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_uid > 0 and imap_mailbox.uidvalidity and imap_mailbox.last_error == ""
    # Nothing new: nothing read again.
    assert imap.poll(imap_mailbox).fetched == 0
    assert InboundEmail.objects.get().state == InboundState.INGESTED


QUOTED_REPLIES = {
    "gmail": (
        "Dank je, de nieuwe maat past!\n\n"
        "On Mon, 3 Nov 2026 at 10:00, Regenjassenhuis Klantenservice <\nsupport@shop.example> wrote:\n"
        "> Hallo Anna,\n> Stuur de jas maar terug.\n"
    ),
    "outlook": (
        "Dank je, de nieuwe maat past!\n\n"
        "-----Original Message-----\nFrom: Regenjassenhuis Klantenservice <support@shop.example>\n"
        "Sent: Monday, November 3, 2026 10:00 AM\nTo: Anna de Boer <anna@example.nl>\n"
        "Subject: RE: Mijn jas is te klein\n\nHallo Anna,\nStuur de jas maar terug.\n"
    ),
    "outlook without rule": (
        "Dank je, de nieuwe maat past!\n\n"
        "From: Regenjassenhuis Klantenservice <support@shop.example>\n"
        "Sent: Monday, November 3, 2026 10:00 AM\nTo: Anna de Boer <anna@example.nl>\n"
        "Subject: RE: Mijn jas is te klein\n\nHallo Anna,\nStuur de jas maar terug.\n"
    ),
    "apple mail": (
        "Dank je, de nieuwe maat past!\n\n"
        "> On 3 Nov 2026, at 10:00, Regenjassenhuis Klantenservice <support@shop.example> wrote:\n>\n"
        "> Hallo Anna,\n> Stuur de jas maar terug.\n"
    ),
    "dutch": (
        "Dank je, de nieuwe maat past!\n\n"
        "Op ma 3 nov. 2026 om 10:00 schreef Regenjassenhuis Klantenservice <support@shop.example>:\n"
        "> Hallo Anna,\n> Stuur de jas maar terug.\n"
    ),
}


@pytest.mark.parametrize("client", QUOTED_REPLIES)
def test_a_reply_quoting_history_lands_on_the_same_ticket_folded(
    dovecot, imap_mailbox, client, sanne, client_web
):
    dovecot.deliver(mail(message_id="<first@mail.example.nl>"))
    imap.poll(imap_mailbox)
    ticket = Ticket.objects.get()
    ticket.status = "solved"
    ticket.solved_at = timezone.now() - timezone.timedelta(days=30)  # no continuation window: headers only
    ticket.save()

    dovecot.deliver(
        mail(
            subject="Re: Mijn jas is te klein",
            text=QUOTED_REPLIES[client],
            message_id="<second@mail.example.nl>",
            in_reply_to="<first@mail.example.nl>",
        )
    )
    imap.poll(imap_mailbox)

    reply = Message.objects.get(thread_id="second@mail.example.nl")
    assert reply.ticket_id == ticket.pk
    assert reply.text == "Dank je, de nieuwe maat past!"
    assert "Stuur de jas maar terug" in reply.html  # the whole mail, one click away
    assert (
        "Stuur de jas maar terug" in InboundEmail.objects.get(external_id="second@mail.example.nl").full_text
    )
    page = client_web(sanne).get(f"/tickets/{ticket.pk}/")
    body = page.content.decode()
    assert "Show the whole message" in body and "Stuur de jas maar terug" in body


def test_an_out_of_office_answer_opens_nothing(dovecot, imap_mailbox):
    dovecot.deliver(
        mail(
            subject="Out of office: Uw vraag",
            text="I am away until Monday.",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    dovecot.deliver(
        mail(sender="piet@example.nl", subject="Automatisch antwoord: Uw vraag", text="Ik ben afwezig.")
    )

    assert imap.poll(imap_mailbox).fetched == 2

    assert not Ticket.objects.exists() and not Message.objects.exists()
    ignored = InboundEmail.objects.filter(state=InboundState.AUTOMATIC)
    assert sorted(row.reason for row in ignored) == [
        "Auto-Submitted: auto-replied",
        "automatic subject: Automatisch antwoord: Uw vraag",
    ]


def test_the_same_message_seen_twice_is_stored_once(dovecot, imap_mailbox, monkeypatch):
    raw = mail(message_id="<dup@mail.example.nl>")
    dovecot.deliver(raw)
    dovecot.deliver(raw)  # delivered twice: two UIDs, one Message-ID
    # A second mailbox configuration polling the same IMAP account (a second poller).
    monkeypatch.setenv("HELPDESK_TEST_IMAP_PASSWORD", USERS[SUPPORT])
    alias = Mailbox.objects.create(
        address="klantenservice@shop.example",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security=ImapSecurity.NONE,
        imap_user=SUPPORT,
        imap_password_env="HELPDESK_TEST_IMAP_PASSWORD",
        after_processing=AfterProcessing.FLAG,
    )
    with dovecot.client() as client:  # make the second poller see them as unprocessed too
        client.select_folder("INBOX")
        client.remove_flags(client.search("ALL"), ["$HelpdeskProcessed"])

    imap.poll(imap_mailbox)
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.remove_flags(client.search("ALL"), ["$HelpdeskProcessed"])
    imap.poll(alias)

    assert Message.objects.count() == 1
    assert InboundEmail.objects.count() == 1


def test_a_uidvalidity_change_rereads_the_folder_without_duplicates(dovecot, imap_mailbox):
    imap_mailbox.imap_folder = "Klanten"
    imap_mailbox.save()
    dovecot.deliver(mail(message_id="<one@mail.example.nl>"), folder="Klanten")
    imap.poll(imap_mailbox)
    imap_mailbox.refresh_from_db()
    old_validity = imap_mailbox.uidvalidity
    # The folder is recreated (a server migration): new UIDVALIDITY, UIDs start again.
    with dovecot.client() as client:
        client.delete_folder("Klanten")
    dovecot.deliver(mail(message_id="<one@mail.example.nl>"), folder="Klanten")
    dovecot.deliver(
        mail(message_id="<two@mail.example.nl>", sender="Bram <bram@example.nl>"), folder="Klanten"
    )

    report = imap.poll(imap_mailbox)

    imap_mailbox.refresh_from_db()
    assert report.uidvalidity_changed and imap_mailbox.uidvalidity != old_validity
    assert sorted(Message.objects.values_list("thread_id", flat=True)) == [
        "one@mail.example.nl",
        "two@mail.example.nl",
    ]


def test_processed_mail_can_be_moved_to_a_folder(dovecot, imap_mailbox):
    imap_mailbox.after_processing = AfterProcessing.MOVE
    imap_mailbox.processed_folder = "Verwerkt"
    imap_mailbox.save()
    dovecot.deliver(mail())

    assert imap.poll(imap_mailbox).fetched == 1

    assert dovecot.count() == 0 and dovecot.count(folder="Verwerkt") == 1
    assert Ticket.objects.count() == 1


def test_a_mailbox_with_a_wrong_password_shows_its_error_and_the_others_go_on(
    dovecot, imap_mailbox, eager_tasks, monkeypatch
):
    monkeypatch.setenv("HELPDESK_TEST_WRONG_PASSWORD", "not-the-password")
    broken = Mailbox.objects.create(
        address="orders@shop.example",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security=ImapSecurity.NONE,
        imap_user="orders@shop.example",
        imap_password_env="HELPDESK_TEST_WRONG_PASSWORD",
    )
    dovecot.deliver(mail())

    assert poll_mailboxes.delay().get() == 2

    broken.refresh_from_db()
    imap_mailbox.refresh_from_db()
    assert "login refused" in broken.last_error and broken.failures == 1
    assert broken.next_poll_at > timezone.now()
    assert imap_mailbox.last_error == "" and Ticket.objects.count() == 1
    # Backing off: the broken mailbox is not due again straight away; the good one is.
    assert poll_mailboxes.delay().get() == 1


def test_the_mailbox_error_is_on_its_admin_page(dovecot, db, admin_user, monkeypatch):
    from django.test import Client

    monkeypatch.setenv("HELPDESK_TEST_WRONG_PASSWORD", "nope")
    broken = Mailbox.objects.create(
        address="orders@shop.example",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security=ImapSecurity.NONE,
        imap_user="orders@shop.example",
        imap_password_env="HELPDESK_TEST_WRONG_PASSWORD",
    )
    imap.poll(broken)
    browser = Client()
    browser.force_login(admin_user)

    page = browser.get(f"/admin/email_channel/mailbox/{broken.pk}/change/").content.decode()
    listing = browser.get("/admin/email_channel/mailbox/").content.decode()

    assert "login refused by the IMAP server" in page
    assert "Failing" in listing


def test_an_encrypted_password_works_and_is_not_stored_plain(dovecot, db):
    box = Mailbox(
        address=SUPPORT,
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security=ImapSecurity.NONE,
        imap_user=SUPPORT,
    )
    box.set_imap_password(USERS[SUPPORT])
    box.save()
    dovecot.deliver(mail())

    assert imap.poll(box).error == ""
    assert USERS[SUPPORT] not in box.imap_password_encrypted
    assert Ticket.objects.count() == 1
