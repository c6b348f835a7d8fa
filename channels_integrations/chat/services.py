"""Chat conversation actions, called by the visitor socket (each runs in one transaction).

Messages enter the helpdesk only through ingest(), like every other channel; this module
keeps the conversation row (claims, ticket, verification) in step with what ingest did.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from channels_integrations.chat import selectors, tokens
from channels_integrations.chat.models import ChatConversation, ChatWidget, VerifiedVia
from channels_integrations.chat.protocol import Prechat
from helpdesk import rows
from helpdesk.customers.models import Identity, IdentityKind
from helpdesk.inbound.pipeline import ingest
from helpdesk.inbound.types import InboundAttachment, InboundMessage, IngestResult, SenderClaims, ThreadHints

CHANNEL = "chat"


class ChatRefused(Exception):
    """An action the conversation's state does not allow; `code` is what the widget is told."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def widget_for_socket(key: str, origin: str) -> ChatWidget | None:
    """The active widget with this key, if the page's origin may embed it."""
    widget = ChatWidget.objects.filter(key=key, active=True).first()
    if widget is None or not widget.allows_origin(origin):
        return None
    return widget


@dataclass
class Session:
    conversation: ChatConversation
    token: str
    history: list[dict[str, Any]]
    agents_available: bool
    resumed: bool
    notices: list[str] = field(default_factory=list)

    def answer(self) -> dict[str, Any]:
        """The `session` frame: only what the visitor typed themselves, never the customer's data."""
        c = self.conversation
        return {
            "type": "session", "token": self.token, "history": self.history, "resumed": self.resumed,
            "agents_available": self.agents_available, "greeting": c.widget.greeting,
            "conversation": {"name": c.claimed_name, "email": c.claimed_email,
                             "email_verified": c.email_verified, "left_message": c.left_message,
                             "verification_sent": c.verification_sent_at is not None},
            "notices": self.notices,
        }


def _resume(widget: ChatWidget, token: str) -> tuple[ChatConversation | None, str | None]:
    """The conversation a valid token points at, or (None, the visitor id) to start a new one."""
    claims = tokens.read_visitor_token(token, widget_id=widget.pk)
    if claims is None:
        return None, None
    conversation = (
        ChatConversation.objects.select_for_update().select_related("widget")
        .filter(pk=claims.conversation_id, widget=widget, visitor=claims.visitor).first()
    )
    if conversation is None or conversation.ended_at is not None:
        return None, claims.visitor  # same browser, new conversation
    return conversation, claims.visitor


@transaction.atomic
def conversation_start(*, widget: ChatWidget, token: str, prechat: Prechat, ip: str | None,
                       base_url: str = "") -> Session:
    """Resume the token's conversation, or open a new one with what the visitor filled in.

    A newly claimed email gets a confirmation link (to `base_url`) unless already proven.
    """
    from channels_integrations.chat import verification

    conversation, visitor = _resume(widget, token)
    resumed = conversation is not None
    if conversation is None:
        conversation = ChatConversation.objects.create(
            widget=widget, visitor=uuid.UUID(visitor) if visitor else uuid.uuid4(), ip=ip
        )
        conversation.widget = widget
    notices = _apply_prechat(conversation, prechat)
    if prechat.order_number and prechat.postcode and conversation.claimed_email \
            and not conversation.email_verified:
        verified = verification.conversation_verify_order(
            conversation=conversation, order_number=prechat.order_number, postcode=prechat.postcode
        )
        notices.append("verified" if verified else "not_verified")
    conversation.last_seen_at = timezone.now()
    verification.queue_email_link(conversation, base_url)
    conversation.save()
    return Session(
        conversation=conversation,
        token=tokens.visitor_token(conversation_id=conversation.pk, widget_id=widget.pk,
                                   visitor=conversation.conversation_key),
        history=selectors.history(conversation),
        agents_available=selectors.agents_available(widget),
        resumed=resumed, notices=notices,
    )


def _apply_prechat(conversation: ChatConversation, prechat: Prechat) -> list[str]:
    """Claims fill in what is empty; an email, once claimed, is not swapped for another."""
    notices = []
    if prechat.name and not conversation.claimed_name:
        conversation.claimed_name = prechat.name
    if prechat.order_number and not conversation.claimed_order_number:
        conversation.claimed_order_number = prechat.order_number
    if prechat.email:
        if not conversation.claimed_email:
            conversation.claimed_email = prechat.email
        elif prechat.email != conversation.claimed_email:
            notices.append("email_mismatch")
    return notices


def _inbound(conversation: ChatConversation, *, client_id: str, text: str,
             attachments: tuple[InboundAttachment, ...] = ()) -> InboundMessage:
    key = conversation.conversation_key
    return InboundMessage(
        channel=CHANNEL,
        account=conversation.widget.key,
        # The widget's own id for the message: a resend after a reconnect is the same message.
        external_id=f"{key}:{client_id}",
        sender=SenderClaims(handle=key, email=conversation.claimed_email, name=conversation.claimed_name),
        text=text,
        thread=ThreadHints(conversation=key),
        attachments=attachments,
    )


def _locked(conversation_id: int) -> ChatConversation:
    """The conversation, locked, with its widget. Hand-written SQL: every visitor message
    runs it (see helpdesk/rows.py)."""
    columns, widget = rows.columns(ChatConversation, "c"), rows.columns(ChatWidget, "w")
    found = rows.fetch(
        f"SELECT {columns.sql}, {widget.sql} FROM {ChatConversation._meta.db_table} c "
        f"JOIN {ChatWidget._meta.db_table} w ON w.id = c.widget_id WHERE c.id = %s{rows.for_update_of('c')}",
        [conversation_id],
    )
    if not found:
        raise ChatConversation.DoesNotExist(f"no chat conversation {conversation_id}")
    conversation = rows.joined(found[0], columns, [("widget", widget)])
    if conversation.ended_at is not None:
        raise ChatRefused("ended")
    return conversation


@transaction.atomic
def conversation_say(*, conversation_id: int, client_id: str, text: str,
                     attachments: tuple[InboundAttachment, ...] = ()) -> IngestResult:
    """One visitor message (or file) into the helpdesk through the one inbound path."""
    conversation = _locked(conversation_id)
    result = ingest(_inbound(conversation, client_id=client_id, text=text, attachments=attachments))
    # Only what a message changes: a confirmation landing meanwhile is not written back.
    _after_ingest(conversation, result, fields=["ticket", "customer", "last_seen_at"])
    return result


@transaction.atomic
def conversation_leave_message(*, conversation_id: int, client_id: str, text: str, email: str,
                               name: str = "", base_url: str = "") -> IngestResult:
    """No agent online: the message is stored with the email to answer it on."""
    from channels_integrations.chat import verification

    conversation = _locked(conversation_id)
    if conversation.claimed_email and conversation.claimed_email != email:
        raise ChatRefused("email_mismatch")
    conversation.claimed_email = email
    if name and not conversation.claimed_name:
        conversation.claimed_name = name
    conversation.left_message = True
    verification.queue_email_link(conversation, base_url)
    result = ingest(_inbound(conversation, client_id=client_id, text=text))
    _after_ingest(conversation, result)
    return result


def _after_ingest(conversation: ChatConversation, result: IngestResult,
                  fields: list[str] | None = None) -> None:
    conversation.ticket_id = result.ticket_id
    conversation.customer_id = result.customer_id
    conversation.last_seen_at = timezone.now()
    if fields is None:
        conversation.save()
    else:
        rows.update(conversation, fields)
    if conversation.email_verified and conversation.verified_via == VerifiedVia.LINK:
        identity_mark_verified(conversation)


def identity_mark_verified(conversation: ChatConversation) -> None:
    """A confirmed mailbox verifies the customer's email identity (once ingest has created it)."""
    if conversation.customer_id and conversation.claimed_email:
        Identity.objects.filter(
            kind=IdentityKind.EMAIL, value=conversation.claimed_email, customer_id=conversation.customer_id
        ).update(verified=True)


@transaction.atomic
def conversation_end(*, conversation_id: int) -> ChatConversation:
    conversation = ChatConversation.objects.select_for_update().select_related("widget").get(
        pk=conversation_id
    )
    if conversation.ended_at is None:
        conversation.ended_at = timezone.now()
        conversation.save(update_fields=["ended_at"])
    return conversation


def conversation_touch(*, conversation_id: int) -> None:
    ChatConversation.objects.filter(pk=conversation_id).update(last_seen_at=timezone.now())


@transaction.atomic
def conversation_send_transcript(*, conversation_id: int, email: str) -> str:
    """Mail the visitor-visible messages, only ever to the address this conversation claimed.

    A visitor who never gave an address may type one now; it becomes the claim.
    Returns the address the transcript goes to.
    """
    from channels_integrations.chat.tasks import send_transcript_mail

    conversation = ChatConversation.objects.select_for_update().select_related("widget").get(
        pk=conversation_id
    )
    if conversation.transcript_sent_at is not None:
        raise ChatRefused("already_sent")
    if email and conversation.claimed_email and email != conversation.claimed_email:
        raise ChatRefused("email_mismatch")
    conversation.claimed_email = conversation.claimed_email or email
    if not conversation.claimed_email:
        raise ChatRefused("email_required")
    if not selectors.visible_messages(conversation).exists():
        raise ChatRefused("empty")
    conversation.transcript_sent_at = timezone.now()
    conversation.save(update_fields=["claimed_email", "transcript_sent_at"])
    send_transcript_mail.delay_on_commit(conversation.pk)
    return conversation.claimed_email
