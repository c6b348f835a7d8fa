"""Small presentation helpers for the workspace templates: labels, SLA, times, tracking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django import template
from django.utils import timezone

from channels_integrations import registry
from helpdesk.tickets.models import OPEN_STATUSES
from helpdesk.web.selectors import SLA_SOON
from helpdesk.web.shipping import TrackingState, tracking_state

register = template.Library()


@register.filter
def channel_label(channel: str) -> str:
    try:
        return registry.spec(channel).label
    except registry.UnknownChannel:
        return channel.replace("_", " ").capitalize() if channel else ""


@register.filter
def tracking(status: str) -> TrackingState:
    return tracking_state(status)


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 1:
        return "now"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d"


@register.filter
def ago(when: datetime | None) -> str:
    """'5 min ago', '3 h ago', '2 d ago': short enough for an inbox column."""
    if when is None:
        return ""
    span = _span(timezone.now() - when)
    return "just now" if span == "now" else f"{span} ago"


@dataclass(frozen=True)
class SlaDue:
    label: str
    due: datetime
    text: str
    # "overdue", "soon" or "": the badge tone; the text says it too.
    state: str


@register.filter
def sla_due(ticket) -> SlaDue | None:
    """The most pressing SLA target of an open ticket that is not met yet."""
    if ticket.status not in OPEN_STATUSES:
        return None
    targets = []
    if ticket.first_response_at is None and ticket.first_response_due:
        targets.append((ticket.first_response_due, "First reply"))
    if ticket.resolution_due:
        targets.append((ticket.resolution_due, "Resolve"))
    if not targets:
        return None
    due, label = min(targets)
    left = due - timezone.now()
    if left < timedelta(0):
        return SlaDue(label, due, f"overdue {_span(left)}", "overdue")
    span = _span(left)
    text = "due now" if span == "now" else f"in {span}"
    return SlaDue(label, due, text, "soon" if left <= SLA_SOON else "")


@register.filter
def first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""
