"""Provider delivery callbacks (anymail's normalised tracking events) move outbound mail on.

anymail's webhook views check a provider's signature (Mailgun) and the shared basic-auth
secret before the `tracking` signal fires, but they skip basic auth when
ANYMAIL_WEBHOOK_SECRET is unset; so the receiver first refuses (403) any callback from a
provider that does not sign when no secret is configured (webhooks.webhook_require_authenticated).
Events are matched on the id the provider gave the mail when we sent it
(Message.provider_message_id), or on our own Message-ID (Message.thread_id), because a
fast bounce can arrive before the send call returned and the provider id was stored.
Unknown or unmatched events are ignored with a log line.
"""

from __future__ import annotations

import logging

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.db.models import Q, QuerySet
from django.dispatch import receiver

from channels_integrations.email import bounces
from channels_integrations.email.deliverability import AddressState, address_mark
from channels_integrations.email.headers import message_id_forms
from channels_integrations.email.webhooks import webhook_require_authenticated
from helpdesk.tickets import delivery
from helpdesk.tickets.models import Channel, DeliveryStatus, Direction, Message

logger = logging.getLogger(__name__)

_FAILED = {EventType.REJECTED, EventType.FAILED}
_IGNORED = {EventType.QUEUED, EventType.SENT, EventType.DEFERRED, EventType.AUTORESPONDED,
            EventType.CLICKED, EventType.SUBSCRIBED, EventType.UNSUBSCRIBED, EventType.INBOUND,
            EventType.INBOUND_FAILED, EventType.UNKNOWN}


def _reason(event: AnymailTrackingEvent) -> str:
    parts = [event.reject_reason or "", event.description or "", event.mta_response or ""]
    return " — ".join(p.strip() for p in parts if p and p.strip()) or f"{event.event_type} by the provider"


@receiver(tracking, dispatch_uid="helpdesk-email-tracking")
def on_tracking_event(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    webhook_require_authenticated(esp_name, "tracking")
    tracking_event_apply(event, esp_name)


def tracking_event_apply(event: AnymailTrackingEvent, esp_name: str) -> None:
    kind = event.event_type
    if kind in _IGNORED or not event.message_id:
        logger.info("%s %s event ignored (message id %r)", esp_name, kind, event.message_id)
        return
    messages = _messages_for(str(event.message_id))
    if not messages.exists():
        logger.info("%s %s event for unknown message %s ignored", esp_name, kind, event.message_id)
        return
    recipient = event.recipient or ""
    if kind == EventType.DELIVERED:
        delivery.message_advance(messages, DeliveryStatus.DELIVERED)
        address_mark(address=recipient, state=AddressState.OK)
    elif kind == EventType.OPENED:
        delivery.message_advance(messages, DeliveryStatus.READ)
    elif kind == EventType.BOUNCED:
        bounces.message_bounced(messages=messages, recipient=recipient, reason=_reason(event))
    elif kind == EventType.COMPLAINED:
        bounces.message_complained(messages=messages, recipient=recipient)
    elif kind in _FAILED:
        delivery.message_advance(messages, DeliveryStatus.FAILED, error=_reason(event))
    else:
        logger.info("%s %s event ignored: not a delivery outcome", esp_name, kind)


def _messages_for(message_id: str) -> QuerySet[Message]:
    """Our replies the event is about: by the provider's id, else by our own Message-ID."""
    match = Q(provider_message_id=message_id)
    forms = message_id_forms(message_id)
    if forms:
        match |= Q(thread_id__in=forms)
    return Message.objects.filter(match, channel=Channel.EMAIL, direction=Direction.OUT)
