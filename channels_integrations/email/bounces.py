"""What a bounce or a provider's failure report changes: the address, the message, the owner.

Reached from two edges: a delivery status notification mailed back to a mailbox
(the inbound DSN parser calls `record_bounce`), and a provider's tracking webhook
(tracking.py). Both end here so the outcome is the same.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet

from channels_integrations.email.deliverability import AddressState, address_mark
from channels_integrations.email.headers import message_id_forms
from channels_integrations.email.notifications import queue_owner_bounce
from helpdesk.tickets import delivery
from helpdesk.tickets.models import Channel, DeliveryStatus, Direction, Message

logger = logging.getLogger(__name__)


def _outbound_email() -> QuerySet[Message]:
    return Message.objects.filter(channel=Channel.EMAIL, direction=Direction.OUT)


def record_bounce(recipient: str, original_message_id: str, reason: str) -> None:
    """A mail we sent could not be delivered to `recipient` (from a DSN or a provider).

    Marks the address as bouncing, the outbound message (matched on its Message-ID)
    as bounced with the reason, and alerts the ticket's owner live and by email.
    """
    forms = message_id_forms(original_message_id)
    messages = _outbound_email().filter(thread_id__in=forms) if forms else _outbound_email().none()
    message_bounced(messages=messages, recipient=recipient, reason=reason)


@transaction.atomic
def message_bounced(*, messages: QuerySet[Message], recipient: str, reason: str) -> list[Message]:
    reason = (reason or "").strip() or "The receiving mail server gave the message back."
    if recipient:
        address_mark(address=recipient, state=AddressState.BOUNCING, reason=reason)
    moved = delivery.message_advance(messages, DeliveryStatus.BOUNCED, error=reason)
    if not moved:
        logger.info("bounce for %s matched no outbound message we can still mark", recipient or "?")
    for message in moved:
        if message.is_automatic:
            continue  # nobody wrote an acknowledgement, so nobody needs telling by mail
        queue_owner_bounce(message_id=message.pk)
    return moved


@transaction.atomic
def message_complained(*, messages: QuerySet[Message], recipient: str) -> list[Message]:
    """The customer marked our mail as spam: no more automatic mail to that address."""
    if recipient:
        address_mark(address=recipient, state=AddressState.COMPLAINED, reason="marked our mail as spam")
    return delivery.message_advance(
        messages, DeliveryStatus.COMPLAINED, error="The customer marked this mail as spam."
    )
