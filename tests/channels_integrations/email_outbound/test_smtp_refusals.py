"""A mail server that refuses for now gets the reply again later; one that refuses for good
leaves the reply failed, with the server's words shown to the agent."""

from __future__ import annotations

import pytest

from helpdesk.tickets.models import DeliveryStatus, Message
from helpdesk.tickets.tasks import MAX_RETRIES, deliver_message
from tests.channels_integrations.email_outbound.conftest import ANNA


def queued_reply(api_as, sanne, ticket, capture, text="Uw jas is onderweg.") -> Message:
    """The agent's reply, stored and queued; the callers run the delivery task like a worker would."""
    with capture(execute=False):
        response = api_as(sanne).post(f"/api/v1/tickets/{ticket.pk}/reply/", {"text": text}, format="json")
    assert response.status_code == 201, response.content
    return Message.objects.get(pk=response.json()["id"])


def work(message: Message) -> str:
    """The task as a worker runs it, retries included (eagerly, without waiting for the backoff):
    as on a worker, a retry is not an error the caller sees."""
    from helpdesk.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        return deliver_message.apply(args=[message.pk]).get(propagate=False)
    finally:
        app.conf.task_eager_propagates = before


def test_a_temporary_refusal_is_retried_and_the_reply_sent_once(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    mailhost.refuse("451 4.3.0 Try again later", "421 4.7.0 Too busy")

    assert work(message) == "sent"

    assert mailhost.attempts == 3
    assert [m["To"] for m in mailhost.received] == [ANNA]
    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_attempts) == (DeliveryStatus.SENT, 3)
    # Every attempt was the same mail.
    assert mailhost.received[0]["Message-ID"] == f"<{message.thread_id}>"


def test_a_permanent_refusal_fails_the_reply_and_shows_why(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    mailhost.refuse("550 5.1.1 <anna@example.nl>: Recipient address rejected: User unknown")

    assert work(message) == "failed"

    assert mailhost.attempts == 1 and mailhost.received == []
    shown = api_as(sanne).get(f"/api/v1/tickets/{annas_ticket.pk}/").json()["messages"][-1]
    assert shown["id"] == message.pk
    assert shown["delivery_status"] == "failed"
    assert "550" in shown["delivery_error"] and "User unknown" in shown["delivery_error"]
    assert work(message) == "skipped"  # failed for good: a later run does not try again
    assert mailhost.attempts == 1


def test_a_server_that_keeps_refusing_fails_the_reply_after_the_last_retry(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    mailhost.refuse(*["451 4.3.0 Try again later"] * (MAX_RETRIES + 5))

    assert work(message) == "failed"

    assert mailhost.attempts == MAX_RETRIES + 1
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.FAILED
    assert f"gave up after {MAX_RETRIES + 1} attempts" in message.delivery_error


def test_an_unreachable_server_is_a_temporary_failure(
    api_as, sanne, annas_ticket, settings, django_capture_on_commit_callbacks, mailbox
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 5  # discard: closed
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)

    with pytest.raises(Exception, match="could not reach the mail server"):
        deliver_message.apply(args=[message.pk], throw=True).get()

    message.refresh_from_db()
    # Still queued for the planned retry (test_delivery_is_idempotent shows the sweeper waits for it).
    assert (message.delivery_status, message.delivery_attempts) == (DeliveryStatus.QUEUED, 1)
    assert message.delivery_error == ""
