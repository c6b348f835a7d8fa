"""Presentation helpers for the store counter screen."""

from __future__ import annotations

from django import template

from helpdesk.store.access import may_use_counter

register = template.Library()


@register.filter
def works_at_counter(user) -> bool:
    """Whether the workspace offers this person the store counter screen."""
    return may_use_counter(user)


@register.filter
def masked(identity) -> str:
    """Enough of a contact detail for the customer to recognise it, not to copy it."""
    value = identity.value
    if identity.kind == "email" and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:2]}•••@{domain}"
    if len(value) > 4:
        return "•••• " + value[-4:]
    return value
