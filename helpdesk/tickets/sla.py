"""SLA due times from the priority's targets (settings.SLA_TARGETS, in minutes)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def apply_sla(ticket) -> None:
    first, resolution = settings.SLA_TARGETS.get(ticket.priority, settings.SLA_TARGETS["normal"])
    ticket.first_response_due = ticket.created_at + timedelta(minutes=first)
    ticket.resolution_due = ticket.created_at + timedelta(minutes=resolution)
