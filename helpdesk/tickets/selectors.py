"""Ticket reads that apply the caller's reach and fetch related rows up front."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from agents.models import User
from channels_integrations import registry
from helpdesk.customers.models import Identity
from helpdesk.tickets.models import OPEN_STATUSES, Message, Ticket

VIEWS = ("mine", "unassigned", "team", "store", "all")


def customer_latest_channel(customer_id: int) -> str:
    """Where to reach a customer outside a ticket's thread: the reachable channel they last
    wrote on, else the first reachable one; "" when no reply can reach them."""
    kinds = set(Identity.objects.filter(customer_id=customer_id).values_list("kind", flat=True))
    reachable = registry.reachable_channels(kinds)
    if not reachable:
        return ""
    latest = (
        Message.objects.filter(customer_id=customer_id, direction="in", channel__in=reachable)
        .order_by("-sent_at", "-id").values_list("channel", flat=True).first()
    )
    return latest or reachable[0]


def store_ids_of(user: User) -> list[int]:
    cached = getattr(user, "_store_ids", None)
    if cached is None:
        cached = list(user.stores.values_list("id", flat=True))
        user._store_ids = cached
    return cached


def team_ids_of(user: User) -> list[int]:
    cached = getattr(user, "_team_ids", None)
    if cached is None:
        cached = list(user.teams.values_list("id", flat=True))
        user._team_ids = cached
    return cached


def tickets_in_reach(user: User) -> QuerySet[Ticket]:
    """Agents, managers and admins see every ticket; store staff their stores' and own."""
    tickets = Ticket.objects.all()
    if user.sees_every_ticket:
        return tickets
    # Ids, not a join: an OR across a join makes PostgreSQL walk every open ticket.
    return tickets.filter(Q(store_id__in=store_ids_of(user)) | Q(owner=user))


def ticket_list_for(user: User, *, view: str = "all", status: str | None = None,
                    channel: str | None = None, priority: str | None = None,
                    customer: int | None = None) -> QuerySet[Ticket]:
    tickets = tickets_in_reach(user)
    if view == "mine":
        tickets = tickets.filter(owner=user)
    elif view == "unassigned":
        tickets = tickets.filter(owner__isnull=True)
    elif view == "team":
        tickets = tickets.filter(team_id__in=team_ids_of(user))
    elif view == "store":
        tickets = tickets.filter(store_id__in=store_ids_of(user))
    if status == "any":
        pass
    elif status:
        tickets = tickets.filter(status__in=status.split(","))
    else:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    if channel:
        tickets = tickets.filter(channel__in=channel.split(","))
    if priority:
        tickets = tickets.filter(priority__in=priority.split(","))
    if customer:
        tickets = tickets.filter(customer_id=customer)
    return tickets.select_related("customer", "owner", "team", "store")


def ticket_detail_for(user: User, ticket_id: int) -> Ticket | None:
    return (
        tickets_in_reach(user)
        .select_related("customer", "owner", "team", "store")
        .prefetch_related(
            Prefetch("messages", Message.objects.select_related("author").prefetch_related("attachments")),
            Prefetch("customer__identities", Identity.objects.order_by("kind", "value")),
            "orders",
        )
        .filter(pk=ticket_id)
        .first()
    )


def ticket_for_action(user: User, ticket_id: int) -> Ticket | None:
    return tickets_in_reach(user).select_related("customer").filter(pk=ticket_id).first()
