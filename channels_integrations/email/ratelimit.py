"""Mail loops: a sender mailing us more than EMAIL_RATE_LIMIT_PER_SENDER times within the
window is a machine (two auto-responders answering each other, a broken script).

Counted in the database from the raw mail we keep anyway (one indexed count), so the
limit holds across pollers, webhook workers and restarts.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from channels_integrations.email.models import InboundEmail


def over_limit(sender: str, *, now=None) -> bool:
    limit = settings.EMAIL_RATE_LIMIT_PER_SENDER
    if not limit or not sender:
        return False
    since = (now or timezone.now()) - timedelta(seconds=settings.EMAIL_RATE_LIMIT_WINDOW_SECONDS)
    # The mail being processed is already stored, so "more than the limit" includes it.
    return InboundEmail.objects.filter(sender=sender, received_at__gte=since).count() > limit
