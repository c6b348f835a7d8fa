"""Customer reads: reach for store staff, and the counter / agent search."""

from __future__ import annotations

import contextlib
import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from agents.models import User
from helpdesk.customers.identities import InvalidIdentity, normalise_email, normalise_phone
from helpdesk.customers.models import Customer, CustomerAccess, Identity
from helpdesk.orders.models import Order
from helpdesk.tickets.models import Ticket


def customers_in_reach(user: User) -> QuerySet[Customer]:
    """Store staff see customers they looked up and those with tickets in their reach."""
    customers = Customer.objects.all()
    if user.sees_every_ticket:
        return customers
    looked_up = CustomerAccess.objects.filter(user=user, customer=OuterRef("pk"))
    store_ids = list(user.stores.values_list("id", flat=True))
    ticketed = Ticket.objects.filter(Q(store_id__in=store_ids) | Q(owner=user), customer=OuterRef("pk"))
    return customers.filter(Exists(looked_up) | Exists(ticketed))


_DIGITS = re.compile(r"\d")


def customer_search(query: str, *, limit: int = 25) -> list[Customer]:
    """Exact identity and order-number matches first, then names."""
    query = query.strip()[:200]
    if not query:
        return []
    ids: list[int] = []

    def add(values) -> None:
        for value in values:
            if value not in ids:
                ids.append(value)

    identity_q = Q(kind="loyalty_card", value=re.sub(r"[\s-]", "", query).upper())
    identity_q |= Q(kind__in=["whatsapp", "messenger", "instagram", "external_id"], value=query)
    if "@" in query:
        try:
            identity_q |= Q(kind="email", value=normalise_email(query))
        except InvalidIdentity:
            identity_q |= Q(kind="email", value=query.lower())
    if len(_DIGITS.findall(query)) >= 6:
        with contextlib.suppress(InvalidIdentity):
            identity_q |= Q(kind="phone", value=normalise_phone(query))
    add(Identity.objects.filter(identity_q).values_list("customer_id", flat=True)[:limit])
    number = query.lstrip("#")
    if number and len(number) <= 64:
        add(Order.objects.filter(number=number).values_list("customer_id", flat=True)[:limit])
    # Substring search needs three characters to use the trigram index.
    if len(ids) < limit and len(query) >= 3 and "@" not in query:
        add(
            Customer.objects.filter(name__icontains=query, merged_into__isnull=True)
            .order_by("name", "id")
            .values_list("id", flat=True)[: limit - len(ids)]
        )
    found = Customer.objects.in_bulk(ids[:limit])
    return [found[pk] for pk in ids[:limit] if pk in found]


def current_consents(customer: Customer) -> list:
    """The consent in force per channel and purpose: the latest decision, by channel and purpose."""
    latest: dict[tuple[str, str], object] = {}
    for consent in customer.consents.order_by("-recorded_at", "-id"):
        latest.setdefault((consent.channel, consent.purpose), consent)
    return sorted(latest.values(), key=lambda c: (c.channel, c.purpose))
