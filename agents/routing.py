"""Who gets a new ticket: the customer's previous owner, else the team's least-loaded agent.

These run for every new ticket, so the reads are hand-written SQL (see helpdesk/rows.py).
"""

from __future__ import annotations

from agents.models import Role, Store, Team, User
from helpdesk import rows
from helpdesk.tickets.models import Ticket


def team_for(*, channel: str, store_id: int | None) -> Team | None:
    """The store's service team, else the team that answers the channel, else the default."""
    team = rows.columns(Team, "tm")
    if store_id:
        found = rows.fetch(f"SELECT {team.sql} FROM {Store._meta.db_table} s "
                           f"JOIN {Team._meta.db_table} tm ON tm.id = s.team_id WHERE s.id = %s",
                           [store_id])
        if found:
            return team.instance(found[0])
    teams = [team.instance(row)
             for row in rows.fetch(f"SELECT {team.sql} FROM {Team._meta.db_table} tm ORDER BY tm.name", [])]
    for candidate in teams:
        if channel in (candidate.channels or []):
            return candidate
    return next((candidate for candidate in teams if candidate.is_default), None)


def previous_owner(customer_id: int) -> User | None:
    """Principle 4: a returning customer goes back to the agent who helped last, if active."""
    user = rows.columns(User, "u")
    found = rows.fetch(
        f"SELECT {user.sql} FROM {Ticket._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.owner_id "
        "WHERE t.customer_id = %s AND u.role <> %s ORDER BY t.last_message_at DESC, t.id DESC LIMIT 1",
        [customer_id, Role.STORE_STAFF],
    )
    owner = user.instance(found[0]) if found else None
    return owner if owner is not None and owner.is_active else None


def least_loaded_agent(team: Team) -> User | None:
    user = rows.columns(User, "u")
    through = User.teams.through._meta.db_table
    found = rows.fetch(
        f"SELECT {user.sql} FROM {User._meta.db_table} u JOIN {through} m ON m.user_id = u.id "
        "WHERE m.team_id = %s AND u.is_active AND u.role = %s ORDER BY u.open_ticket_count, u.id LIMIT 1",
        [team.pk, Role.AGENT],
    )
    return user.instance(found[0]) if found else None


def owner_for_new_ticket(*, customer_id: int, team: Team | None, is_new_customer: bool) -> User | None:
    owner = None if is_new_customer else previous_owner(customer_id)
    if owner is None and team is not None:
        owner = least_loaded_agent(team)
    return owner
