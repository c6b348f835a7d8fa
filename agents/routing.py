"""Who gets a new ticket: the customer's previous owner, else the team's least-loaded agent."""

from __future__ import annotations

from agents.models import Role, Store, Team, User
from helpdesk.tickets.models import Ticket


def team_for(*, channel: str, store_id: int | None) -> Team | None:
    """The store's service team, else the team that answers the channel, else the default."""
    if store_id:
        store = Store.objects.select_related("team").filter(pk=store_id).first()
        if store and store.team:
            return store.team
    teams = list(Team.objects.all())
    for team in teams:
        if channel in (team.channels or []):
            return team
    return next((team for team in teams if team.is_default), None)


def previous_owner(customer_id: int) -> User | None:
    """Principle 4: a returning customer goes back to the agent who helped last, if active."""
    ticket = (
        Ticket.objects.filter(customer_id=customer_id, owner__isnull=False)
        .exclude(owner__role=Role.STORE_STAFF)
        .select_related("owner")
        .order_by("-last_message_at", "-id")
        .first()
    )
    if ticket and ticket.owner.is_active:
        return ticket.owner
    return None


def least_loaded_agent(team: Team) -> User | None:
    return (
        User.objects.filter(teams=team, is_active=True, role=Role.AGENT)
        .order_by("open_ticket_count", "id")
        .first()
    )


def owner_for_new_ticket(*, customer_id: int, team: Team | None, is_new_customer: bool) -> User | None:
    owner = None if is_new_customer else previous_owner(customer_id)
    if owner is None and team is not None:
        owner = least_loaded_agent(team)
    return owner
