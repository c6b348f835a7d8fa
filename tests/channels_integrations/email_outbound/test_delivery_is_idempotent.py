"""A duplicated task never sends a reply twice; an attempt that died half-way is finished
by the sweeper with the very same mail (same Message-ID), never with a new one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpdesk.tickets import delivery
from helpdesk.tickets.models import DeliveryStatus, Message
from helpdesk.tickets.tasks import deliver_message, redeliver_stale_messages
from tests.channels_integrations.email_outbound.test_smtp_refusals import queued_reply

pytestmark = pytest.mark.usefixtures("eager_tasks")


def test_a_task_that_finds_the_reply_claimed_sends_nothing(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    from channels_integrations.registry import adapter_for

    # A first task holds the claim (it is talking to the mail server right now) ...
    claim = delivery.message_claim(message_id=message.pk, adapter=adapter_for("email"))
    assert claim.outcome == "claimed"
    # ... so a duplicate of it backs off without sending.
    assert deliver_message.apply(args=[message.pk]).get() == "busy"
    assert mailhost.attempts == 0
    # The sweeper leaves a live claim alone too.
    assert redeliver_stale_messages.apply().get() == 0
    assert mailhost.attempts == 0


def test_an_attempt_that_died_after_sending_is_resent_with_the_same_message_id(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks, settings
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    from channels_integrations.registry import adapter_for

    # A worker claimed and sent the reply, then died before recording it.
    claim = delivery.message_claim(message_id=message.pk, adapter=adapter_for("email"))
    adapter_for("email").send(claim.message)
    [first] = mailhost.received
    Message.objects.filter(pk=message.pk).update(
        delivery_claimed_at=timezone.now() - timedelta(seconds=settings.DELIVERY_CLAIM_SECONDS + 1)
    )

    assert redeliver_stale_messages.apply().get() == 1

    _, again = mailhost.received
    assert again["Message-ID"] == first["Message-ID"] == f"<{Message.objects.get(pk=message.pk).thread_id}>"
    assert again["References"] == first["References"]
    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_attempts) == (DeliveryStatus.SENT, 2)
    assert redeliver_stale_messages.apply().get() == 0
    assert len(mailhost.received) == 2


def test_a_reply_whose_task_was_lost_is_picked_up_by_the_sweeper(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks, settings
):
    # The task was never queued (the broker was down when the reply was stored).
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    assert redeliver_stale_messages.apply().get() == 0  # too young: its task may still come
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.DELIVERY_CLAIM_SECONDS + 1)
    )

    assert redeliver_stale_messages.apply().get() == 1

    assert len(mailhost.received) == 1
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT


def test_after_a_temporary_refusal_the_sweeper_waits_for_the_planned_retry(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    # The outage has lasted a while: the reply is older than the claim lease.
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - delivery.claim_lease() - timedelta(minutes=1)
    )
    mailhost.refuse("451 4.3.0 Try again later")
    failed_at = timezone.now()
    with time_machine.travel(failed_at, tick=False):
        # One attempt as a worker runs it: refused for now, its own retry scheduled.
        with pytest.raises(Exception, match="451"):
            deliver_message.apply(args=[message.pk], throw=True).get()
        message.refresh_from_db()
        retry_due = message.delivery_claimed_at + delivery.claim_lease()
        assert message.delivery_status == DeliveryStatus.QUEUED and retry_due >= failed_at

        # Right after the failure: sweeps (every few minutes during an outage) and other
        # tasks leave the reply to that retry instead of starting parallel retry chains.
        assert redeliver_stale_messages.apply().get() == 0
        assert deliver_message.apply(args=[message.pk]).get() == "busy"
    assert mailhost.attempts == 1

    # The retry was lost (worker gone): once it is overdue the sweeper sends the reply, once.
    with time_machine.travel(retry_due + timedelta(seconds=1), tick=False):
        assert redeliver_stale_messages.apply().get() == 1
        assert redeliver_stale_messages.apply().get() == 0
    assert mailhost.attempts == 2 and len(mailhost.received) == 1
    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_attempts) == (DeliveryStatus.SENT, 2)


def test_the_planned_retry_takes_the_postponed_reply_and_a_duplicate_of_it_backs_off(
    api_as, sanne, annas_ticket, mailhost, django_capture_on_commit_callbacks
):
    from channels_integrations.registry import adapter_for

    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    mailhost.refuse("421 4.7.0 Too busy")
    with pytest.raises(Exception, match="421"):
        deliver_message.apply(args=[message.pk], throw=True).get()

    # The retry names the attempt it follows, so it need not wait out the sweeper's lease ...
    retry = delivery.message_claim(message_id=message.pk, adapter=adapter_for("email"), after_attempt=1)
    assert retry.outcome == "claimed" and not retry.resend
    # ... and a second copy of that retry (a broker redelivery) finds it busy and sends nothing.
    assert deliver_message.apply(args=[message.pk], kwargs={"after_attempt": 1}).get() == "busy"
    assert mailhost.attempts == 1
