"""Reads for the workspace pages, built on the ticket and customer selectors (reach included).

Every function fetches its related rows up front: the query count of the inbox and of
the ticket page does not grow with the number of tickets, messages or orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from agents.models import CannedReply, User
from helpdesk.customers.models import Customer, Identity
from helpdesk.customers.selectors import customers_in_reach
from helpdesk.orders.models import Order
from helpdesk.tickets.models import OPEN_STATUSES, Ticket
from helpdesk.tickets.selectors import ticket_list_for, tickets_in_reach
from helpdesk.timeline.models import EntryKind, TimelineEntry

# "SLA due soon": a target that falls within this window (or has passed) and is not met.
SLA_SOON = timedelta(hours=1)
INBOX_PAGE = 50
HISTORY_PAGE = 50


@dataclass(frozen=True)
class InboxFilters:
    view: str = "all"
    status: str = ""  # "" = the open statuses, "any" = every status, else one status
    channel: str = ""
    priority: str = ""
    sla_soon: bool = False
    customer: int | None = None


def sla_due_soon(now: datetime) -> Q:
    """Open tickets whose first response or resolution is due within the hour and not met."""
    soon = now + SLA_SOON
    first = Q(first_response_at__isnull=True, first_response_due__lte=soon)
    return Q(status__in=OPEN_STATUSES) & (first | Q(resolution_due__lte=soon))


def _filtered(user: User, filters: InboxFilters, view: str, now: datetime) -> QuerySet[Ticket]:
    tickets = ticket_list_for(
        user,
        view=view,
        status=filters.status or None,
        channel=filters.channel or None,
        priority=filters.priority or None,
        customer=filters.customer,
    )
    return tickets.filter(sla_due_soon(now)) if filters.sla_soon else tickets


def inbox_tickets(user: User, filters: InboxFilters, *, now: datetime, page: int = 1) -> tuple[list, bool]:
    """One page of the inbox, most recently updated first; and whether there is more."""
    start = (page - 1) * INBOX_PAGE
    rows = list(
        _filtered(user, filters, filters.view, now).order_by("-updated_at", "-id")[
            start : start + INBOX_PAGE + 1
        ]
    )
    return rows[:INBOX_PAGE], len(rows) > INBOX_PAGE


def inbox_counts(user: User, filters: InboxFilters, *, now: datetime) -> dict[str, int]:
    """How many tickets each view holds under the current filters, in one query."""
    tickets = _filtered(user, filters, "all", now).select_related(None).order_by()
    return tickets.aggregate(
        mine=Count("pk", filter=Q(owner=user)),
        unassigned=Count("pk", filter=Q(owner__isnull=True)),
        team=Count("pk", filter=Q(team_id__in=user.teams.values("pk"))),
        store=Count("pk", filter=Q(store_id__in=user.stores.values("pk"))),
        all=Count("pk"),
    )


def visible_views(user: User) -> list[tuple[str, str]]:
    """The inbox views that can hold anything for this person (one query)."""
    memberships = User.objects.filter(pk=user.pk).aggregate(
        teams=Count("teams", distinct=True), stores=Count("stores", distinct=True)
    )
    views = [("mine", "Mine"), ("unassigned", "Unassigned")]
    if memberships["teams"]:
        views.append(("team", "My teams"))
    if memberships["stores"]:
        views.append(("store", "My store"))
    return views + [("all", "All")]


# --- ticket page ------------------------------------------------------------


def ticket_for_page(user: User, ticket_id: int) -> Ticket | None:
    # The newest timeline entry of the ticket: what the agent has seen, for a stale reply.
    last_entry = TimelineEntry.objects.filter(ticket=OuterRef("pk")).order_by("-id").values("id")[:1]
    return (
        tickets_in_reach(user)
        .select_related("customer", "owner", "team", "store")
        .annotate(last_entry_id=Subquery(last_entry))
        .filter(pk=ticket_id)
        .first()
    )


def history(customer_id: int, *, limit: int = HISTORY_PAGE) -> tuple[list[TimelineEntry], bool]:
    """The customer's one timeline across every channel, newest first."""
    entries = list(
        TimelineEntry.objects.filter(customer_id=customer_id)
        .select_related("message", "message__author", "actor", "order")
        .prefetch_related("message__attachments")[: limit + 1]
    )
    return entries[:limit], len(entries) > limit


def identities(customer: Customer) -> list[Identity]:
    return list(customer.identities.order_by("kind", "value"))


def other_tickets(user: User, ticket: Ticket, limit: int = 8) -> list[Ticket]:
    return list(
        tickets_in_reach(user)
        .filter(customer_id=ticket.customer_id)
        .exclude(pk=ticket.pk)
        .select_related("owner")
        .order_by("-updated_at", "-id")[:limit]
    )


def previous_owners(ticket: Ticket, limit: int = 5) -> list[User]:
    """Who helped this customer before (principle 4): owners of their tickets, and those who
    handed one over; most recent first."""
    handovers = (
        TimelineEntry.objects.filter(customer_id=ticket.customer_id, kind=EntryKind.OWNER_CHANGED)
        .order_by("-occurred_at", "-id")
        .values_list("data", flat=True)[:50]
    )
    handed_over = {
        person["id"]
        for data in handovers
        for person in (data.get("from"), data.get("to"))
        if isinstance(person, dict) and isinstance(person.get("id"), int)
    }
    customer_tickets = Q(owned_tickets__customer_id=ticket.customer_id)
    return list(
        User.objects.filter(customer_tickets | Q(pk__in=handed_over))
        .exclude(pk=ticket.owner_id or 0)
        .annotate(last_owned=Max("owned_tickets__updated_at", filter=customer_tickets))
        .order_by(F("last_owned").desc(nulls_last=True), "name")[:limit]
    )


def orders_for(ticket: Ticket, limit: int = 10) -> list[Order]:
    """The customer's orders, linked ones first, with lines, shipments and returns."""
    linked = Ticket.orders.through.objects.filter(ticket_id=ticket.pk, order_id=OuterRef("pk"))
    return list(
        Order.objects.filter(customer_id=ticket.customer_id)
        .annotate(is_linked=Exists(linked))
        .prefetch_related("lines", "shipments", "returns")
        .order_by("-is_linked", "-placed_at", "-id")[:limit]
    )


def canned_replies_for(user: User) -> list[CannedReply]:
    return list(CannedReply.objects.filter(Q(team__isnull=True) | Q(team__in=user.teams.values("pk"))))


def assignees() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .only("id", "username", "name", "first_name", "last_name", "role")
        .order_by("name", "username")
    )


@dataclass(frozen=True)
class Changes:
    """What happened on a ticket since an agent loaded it: its new timeline entries."""

    entries: list[TimelineEntry]

    @property
    def messages(self) -> list[TimelineEntry]:
        return [entry for entry in self.entries if entry.message_id]


def changes_since(ticket: Ticket, *, seen_at: datetime, seen_entry: int) -> Changes | None:
    """None when the ticket is as the agent saw it (its updated_at is the version)."""
    if ticket.updated_at <= seen_at:
        return None
    entries = (
        TimelineEntry.objects.filter(ticket=ticket, id__gt=seen_entry)
        .select_related("message", "message__author", "actor")
        .order_by("id")[:20]
    )
    return Changes(entries=list(entries))


# --- search ---------------------------------------------------------------


def tickets_matching(user: User, query: str, limit: int = 20) -> list[Ticket]:
    """'#123' or '123' is a ticket number; anything else searches subjects."""
    tickets = tickets_in_reach(user).select_related("customer", "owner")
    number = query.lstrip("#").strip()
    match = Q(subject__icontains=query) if len(query) >= 2 else Q(pk__in=[])
    if number.isdigit() and len(number) <= 18:
        match |= Q(pk=int(number))
    return list(tickets.filter(match).order_by("-updated_at", "-id")[:limit])


def orders_matching(user: User, query: str, limit: int = 20) -> list[Order]:
    number = query.lstrip("#").strip()
    if not number or len(number) > 64:
        return []
    orders = Order.objects.filter(number=number).select_related("customer")
    if not user.sees_every_ticket:
        orders = orders.filter(customer__in=customers_in_reach(user))
    return list(orders.order_by("-placed_at", "-id")[:limit])
