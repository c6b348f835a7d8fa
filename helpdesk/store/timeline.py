"""Timeline entries the store counter writes: one constructor per kind."""

from __future__ import annotations

from helpdesk.timeline.models import EntryKind, TimelineEntry


def store_visit(contact) -> TimelineEntry:
    """The visit itself: which store, why and how it ended, beside the message it logged."""
    store, reason = contact.store, contact.reason
    return TimelineEntry(
        customer_id=contact.customer_id,
        kind=EntryKind.STORE_VISIT,
        channel="instore",
        ticket_id=contact.ticket_id,
        order_id=contact.order_id,
        actor_id=contact.staff_id,
        summary=f"{store.name}: {reason.name} — {contact.get_outcome_display().lower()}"[:255],
        data={"store": {"id": store.pk, "name": store.name}, "reason": reason.name,
              "outcome": contact.outcome},
    )


def consent_changed(consent, *, store=None) -> TimelineEntry:
    where = f" at {store.name}" if store else ""
    decision = "granted" if consent.granted else "withdrawn"
    return TimelineEntry(
        customer_id=consent.customer_id,
        kind=EntryKind.CONSENT_CHANGED,
        channel=consent.channel,
        actor_id=consent.recorded_by_id,
        summary=f"{consent.get_purpose_display()} on {consent.channel}: {decision}{where}"[:255],
        data={"channel": consent.channel, "purpose": consent.purpose, "granted": consent.granted,
              "source": consent.source},
    )
