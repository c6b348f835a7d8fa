"""Who receives a ticket's events: computed explicitly from the ticket's reach rules."""

from __future__ import annotations

ALL_TICKETS = "tickets.all"


def store_group(store_id: int) -> str:
    return f"tickets.store.{store_id}"


def user_group(user_id: int) -> str:
    return f"tickets.user.{user_id}"


def ticket_groups(ticket) -> list[str]:
    """Agents, managers and admins see every ticket; store staff their store's and their own."""
    groups = [ALL_TICKETS]
    if ticket.store_id:
        groups.append(store_group(ticket.store_id))
    if ticket.owner_id and not _owner_sees_every_ticket(ticket):
        groups.append(user_group(ticket.owner_id))
    return groups


def _owner_sees_every_ticket(ticket) -> bool:
    """An owner who sees every ticket listens on ALL_TICKETS only (groups_for_user): their
    own group is skipped when the owner is loaded already (costs no query)."""
    return type(ticket).owner.is_cached(ticket) and ticket.owner.sees_every_ticket


def groups_for_user(user, store_ids: list[int]) -> list[str]:
    if user.sees_every_ticket:
        return [ALL_TICKETS]
    return [user_group(user.pk)] + [store_group(store_id) for store_id in store_ids]


def ticket_viewers_group(ticket_id: int) -> str:
    """Staff who have this ticket open: presence (viewing, typing) and stale-reply checks."""
    return f"ticket.{ticket_id}.viewers"


def chat_visitor_group(ticket_id: int) -> str:
    """The chat visitor sockets of a ticket: only what a customer may see goes here."""
    return f"chat.ticket.{ticket_id}"
