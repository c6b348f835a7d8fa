"""Outbound email adapter: delivers a queued reply Message through Django's mail backend.

`prepare` runs inside the delivery task's claim transaction and fixes the mail's
identity (Message-ID, References, sender mailbox, recipient) on the Message before
the first attempt, so every retry, and a resend after a crash, is the same mail.
"""

from __future__ import annotations

from channels_integrations.email import outbound
from channels_integrations.email.headers import new_message_id, thread_of
from helpdesk.tickets.models import Direction, Message


class EmailAdapter:
    channel = "email"

    def prepare(self, message: Message) -> list[str]:
        """Fill in what must stay the same across attempts; the names of the fields set."""
        changed: list[str] = []
        sender = outbound.sender_for(message.ticket_id, message.account)
        if not message.account:
            message.account = sender.address
            changed.append("account")
        if not message.sender:
            message.sender = sender.address
            changed.append("sender")
        if not message.recipient:
            message.recipient = outbound.recipient_for(message.ticket)
            changed.append("recipient")
        if not message.thread_id:
            message.thread_id = new_message_id(sender.domain)
            _in_reply_to, message.references = thread_of(message)
            changed += ["thread_id", "references"]
        return changed

    def send(self, message: Message) -> str | None:
        if message.direction != Direction.OUT or message.channel != self.channel:
            raise outbound.EmailDeliveryError(
                f"message {message.pk} is a {message.direction} on {message.channel}, not an email reply",
                permanent=True,
            )
        if not message.recipient:
            raise outbound.EmailDeliveryError("the customer has no email address", permanent=True)
        if not message.thread_id:
            raise outbound.EmailDeliveryError("message was not prepared (no Message-ID)", permanent=True)
        return outbound.send(outbound.build_reply(message))
