"""Proving a claimed email: a signed link mailed to it, or an order number with its postcode.

Until then the chat is linked to the customer the email belongs to (so the agent sees the
history) but marked unverified, and the visitor is shown nothing of that history.
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.db.models import Q
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from channels_integrations.chat import tokens
from channels_integrations.chat.models import ChatConversation, VerifiedVia
from helpdesk.orders.models import Order

logger = logging.getLogger(__name__)

# Guessing postcodes for a known order number is cheap; a few tries is all a person needs.
MAX_FAILED_VERIFICATIONS = 5


def normalise_postcode(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def base_url_for(*, host: str, secure: bool, allowed_hosts: list[str]) -> str:
    """The helpdesk's own address as the browser reached it, if it is one of our hosts.

    The link goes into a mail to a customer, so a forged Host header must never choose it.
    """
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, allowed_hosts):
        return ""
    return f"{'https' if secure else 'http'}://{host}"


def queue_email_link(conversation: ChatConversation, base_url: str) -> bool:
    """Mail a confirmation link for the claimed email, once per conversation. Call in a transaction."""
    from channels_integrations.chat.tasks import send_verification_mail

    if not base_url or not conversation.claimed_email or conversation.email_verified \
            or conversation.verification_sent_at is not None:
        return False
    conversation.verification_sent_at = timezone.now()
    ChatConversation.objects.filter(pk=conversation.pk).update(
        verification_sent_at=conversation.verification_sent_at
    )
    token = tokens.email_link_token(conversation_id=conversation.pk, email=conversation.claimed_email)
    send_verification_mail.delay_on_commit(conversation.pk, f"{base_url}/chat/verify/{token}/")
    return True


def _mark_verified(conversation: ChatConversation, via: str) -> None:
    from channels_integrations.chat.services import identity_mark_verified

    conversation.email_verified = True
    conversation.verified_via = via
    conversation.verified_at = timezone.now()
    conversation.save(update_fields=["email_verified", "verified_via", "verified_at"])
    if via == VerifiedVia.LINK:
        identity_mark_verified(conversation)
    _tell_staff(conversation)


def _tell_staff(conversation: ChatConversation) -> None:
    if conversation.ticket_id:
        from helpdesk import events
        from helpdesk.realtime import notify
        from helpdesk.tickets.models import Ticket

        ticket = Ticket.objects.select_related("customer", "owner", "team", "store").get(
            pk=conversation.ticket_id
        )
        notify.ticket_event(events.TICKET_UPDATED, ticket)


@transaction.atomic
def conversation_verify_link(token: str) -> ChatConversation | None:
    """The visitor opened the mailed link: the address is theirs. None when the link is bad."""
    claims = tokens.read_email_link_token(token)
    if claims is None:
        return None
    conversation_id, email = claims
    conversation = ChatConversation.objects.select_for_update().filter(pk=conversation_id).first()
    if conversation is None or conversation.claimed_email != email:
        return None
    if not conversation.email_verified or conversation.verified_via != VerifiedVia.LINK:
        _mark_verified(conversation, VerifiedVia.LINK)
    return conversation


def _order_matches(email: str, order_number: str, postcode: str) -> bool:
    wanted = normalise_postcode(postcode)
    orders = Order.objects.filter(number=order_number).filter(
        Q(email=email) | Q(customer__identities__kind="email", customer__identities__value=email)
    ).exclude(postcode__isnull=True).exclude(postcode="")
    return bool(wanted) and any(normalise_postcode(o.postcode) == wanted for o in orders.distinct())


def conversation_verify_order(*, conversation: ChatConversation, order_number: str, postcode: str) -> bool:
    """An order of the claimed email, with the postcode it ships to: proof enough to chat about it.

    Call in a transaction with the conversation locked. The email identity itself stays
    unverified: knowing an order is not owning the mailbox.
    """
    if conversation.email_verified:
        return True
    if not conversation.claimed_email or conversation.failed_verifications >= MAX_FAILED_VERIFICATIONS:
        return False
    if not _order_matches(conversation.claimed_email, order_number, postcode):
        conversation.failed_verifications += 1
        ChatConversation.objects.filter(pk=conversation.pk).update(
            failed_verifications=conversation.failed_verifications
        )
        logger.info("chat %s: order/postcode did not match", conversation.pk)
        return False
    if not conversation.claimed_order_number:
        conversation.claimed_order_number = order_number
        ChatConversation.objects.filter(pk=conversation.pk).update(claimed_order_number=order_number)
    _mark_verified(conversation, VerifiedVia.ORDER_POSTCODE)
    return True


@transaction.atomic
def conversation_verify_order_by_id(*, conversation_id: int, order_number: str, postcode: str) -> bool:
    conversation = ChatConversation.objects.select_for_update().get(pk=conversation_id)
    return conversation_verify_order(conversation=conversation, order_number=order_number, postcode=postcode)
