"""Mail for chat visitors: the email confirmation link and the conversation transcript.

Tasks take ids and re-read what they send, so a retry mails the same thing.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from channels_integrations.chat import selectors
from channels_integrations.chat.models import ChatConversation

logger = logging.getLogger(__name__)

_MAIL_RETRIES = {"max_retries": 5, "retry_backoff": True, "retry_backoff_max": 600,
                 "autoretry_for": (OSError,)}


@shared_task(**_MAIL_RETRIES)
def send_verification_mail(conversation_id: int, link: str) -> str:
    conversation = ChatConversation.objects.select_related("widget").filter(pk=conversation_id).first()
    if conversation is None or not conversation.claimed_email or conversation.email_verified:
        return "skipped"
    send_mail(
        subject=f"Confirm your email address for your chat with {conversation.widget.name}",
        message=(
            "Hello,\n\n"
            f"You started a chat with {conversation.widget.name} and gave this email address.\n"
            "Please confirm it is yours by opening this link (valid for 2 days):\n\n"
            f"{link}\n\n"
            "Not you? Then you can ignore this email.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[conversation.claimed_email],
    )
    return "sent"


def transcript_text(conversation: ChatConversation) -> str:
    """The visitor-visible messages as plain text, in the helpdesk's time zone."""
    lines = [f"Your chat with {conversation.widget.name}", ""]
    for message in selectors.visible_messages(conversation):
        when = timezone.localtime(message.sent_at)
        if message.direction == "in":
            who = "You"
        else:
            who = message.author.display_name if message.author else "Customer service"
        lines.append(f"[{when:%Y-%m-%d %H:%M}] {who}:")
        lines.extend(f"  {line}" for line in message.text.splitlines())
        lines.extend(f"  (attachment: {a.filename})" for a in message.attachments.all())
        lines.append("")
    return "\n".join(lines)


@shared_task(**_MAIL_RETRIES)
def send_transcript_mail(conversation_id: int) -> str:
    conversation = ChatConversation.objects.select_related("widget").filter(pk=conversation_id).first()
    if conversation is None or not conversation.claimed_email:
        return "skipped"
    send_mail(
        subject=f"Transcript of your chat with {conversation.widget.name}",
        message=transcript_text(conversation),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[conversation.claimed_email],
    )
    return "sent"
