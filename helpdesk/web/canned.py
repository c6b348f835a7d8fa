"""Canned replies with placeholders, filled in per ticket as plain text.

Only the listed placeholders are recognised and the body is never run through the
template engine, so neither a reply's author nor a customer's name can reach anything
else. A placeholder without a value (no order linked yet) stays in the text, visible,
for the agent to fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+\.[A-Za-z_]+)\s*\}\}")


@dataclass(frozen=True)
class FilledReply:
    id: int
    title: str
    shortcut: str
    text: str
    missing: list[str]


def placeholder_values(*, customer, agent, ticket, order=None) -> dict[str, str]:
    name = (customer.name or "").strip()
    return {
        "customer.name": name,
        "customer.first_name": name.split()[0] if name else "",
        "order.number": order.number if order else "",
        "agent.name": agent.display_name,
        "ticket.id": str(ticket.pk),
    }


def fill(body: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """The body with known placeholders replaced in one pass; the ones left unfilled."""
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        value = values.get(match.group(1), "")
        if not value:
            missing.append(match.group(1))
            return match.group(0)
        return value

    return _PLACEHOLDER.sub(replace, body), missing


def fill_all(replies, values: dict[str, str]) -> list[FilledReply]:
    filled = []
    for reply in replies:
        text, missing = fill(reply.body, values)
        filled.append(FilledReply(reply.pk, reply.title, reply.shortcut, text, missing))
    return filled
