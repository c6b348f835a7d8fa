"""The one outbound path: a queued message is delivered by a task through its adapter."""

from __future__ import annotations

from django.db import transaction


def queue_delivery(message) -> None:
    from helpdesk.tickets.tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.delay(message.pk))
