"""The one outbound path: a queued message is delivered by a task through its adapter."""

from __future__ import annotations

from django.db import transaction


def queue_delivery(message) -> None:
    """After commit. Robust: with eager tasks (the quick-start) a failed attempt is logged, and
    the message stays queued for the sweeper, instead of failing the request that stored it."""
    from helpdesk.tickets.tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.delay(message.pk), robust=True)
