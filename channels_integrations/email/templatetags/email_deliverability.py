"""Template tags that show on the customer card which email addresses bounce."""

from __future__ import annotations

from django import template

from channels_integrations.email.deliverability import EmailAddressStatus, normalise, troubled

register = template.Library()


@register.simple_tag
def troubled_addresses(identities) -> dict[str, EmailAddressStatus]:
    """The bouncing or complaining email addresses among a customer's identities (one query)."""
    return troubled([i.value for i in identities if i.kind == "email"])


@register.simple_tag
def address_trouble(statuses: dict[str, EmailAddressStatus], address: str) -> EmailAddressStatus | None:
    return statuses.get(normalise(address))
