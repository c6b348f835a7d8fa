"""Reads for the store counter screen, on the shared customer and workspace selectors.

Every function fetches its related rows up front, so the pages' query counts do not
grow with the number of orders, tickets or timeline entries.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agents.models import Store, User
from channels_integrations import registry
from helpdesk.customers.models import ConsentPurpose, Customer, Identity
from helpdesk.customers.selectors import customer_search, customers_in_reach
from helpdesk.orders.models import Order
from helpdesk.store.models import ContactReason, StoreContact
from helpdesk.tickets.models import OPEN_STATUSES, Ticket

LOOKUP_LIMIT = 10
ORDERS_SHOWN = 10


def lookup(query: str, *, key: str) -> list[Customer]:
    """Customers matching what the customer at the counter says, names typo-tolerant;
    their identities prefetched for the result list."""
    found = customer_search(query, key=key, fuzzy=True, limit=LOOKUP_LIMIT)
    if found:
        identities = Identity.objects.filter(customer__in=found).order_by("kind", "value")
        by_customer: dict[int, list[Identity]] = {}
        for identity in identities:
            by_customer.setdefault(identity.customer_id, []).append(identity)
        for customer in found:
            customer.counter_identities = by_customer.get(customer.pk, [])
    return found


def customer_for_counter(user: User, pk: int) -> Customer | None:
    """A customer within the person's reach (store staff: looked up, or a ticket of theirs)."""
    return (
        customers_in_reach(user)
        .select_related("merged_into")
        .prefetch_related(Prefetch("identities", Identity.objects.order_by("kind", "value")))
        .filter(pk=pk)
        .first()
    )


def counter_customer_survivor(user: User, pk: int) -> Customer | None:
    """`customer_for_counter`, followed to the customer a merged one lives on in."""
    customer = customer_for_counter(user, pk)
    while customer is not None and customer.merged_into_id:
        customer = Customer.objects.select_related("merged_into").get(pk=customer.merged_into_id)
    return customer


def orders_numbered(number: str) -> list[Order]:
    """Orders with this number, newest first: a number is unique per source, not overall."""
    return list(Order.objects.filter(number=number).order_by("-placed_at", "-id")[:10])


def order_by_reference(reference: tuple[str, int | str], customer_id: int | None) -> Order | None:
    """The order an integration names by id or by number; by number, the customer's own
    first (None = not known yet: a walk-in)."""
    kind, value = reference
    if kind == "id":
        return Order.objects.filter(pk=value).first()
    orders = orders_numbered(str(value))
    own = [order for order in orders if order.customer_id == customer_id]
    return (own or orders or [None])[0]


def customer_orders(customer_id: int, limit: int = ORDERS_SHOWN) -> list[Order]:
    """Web shop and store purchases, newest first, with lines, shipments and returns."""
    return list(
        Order.objects.filter(customer_id=customer_id)
        .select_related("store")
        .prefetch_related("lines", "shipments", "returns")
        .order_by("-placed_at", "-id")[:limit]
    )


def open_tickets(customer_id: int) -> list[Ticket]:
    """The customer's open questions and who owns each, whatever channel they came on."""
    return list(
        Ticket.objects.filter(customer_id=customer_id, status__in=OPEN_STATUSES)
        .select_related("owner", "team", "store")
        .order_by("-last_message_at", "-id")
    )


def reasons() -> QuerySet[ContactReason]:
    return ContactReason.objects.filter(active=True)


def consent_channels(customer: Customer) -> list[tuple[str, str]]:
    """The channels the customer can be reached on: what a consent can be given for."""
    kinds = {identity.kind for identity in customer.identities.all()}
    return [(name, registry.spec(name).label) for name in registry.reachable_channels(kinds)]


def consent_purposes() -> list[tuple[str, str]]:
    return list(ConsentPurpose.choices)


def recent_contacts(store: Store, limit: int = 8) -> list[StoreContact]:
    """What was logged at this counter lately, for the lookup page."""
    # Only the columns the list shows: the joined rows are wide, and on every lookup
    # building and planning them cost more than running the query.
    return list(
        StoreContact.objects.filter(store=store)
        .select_related("customer", "reason", "ticket__owner")
        .only("customer_id", "ticket_id", "outcome", "created_at", "customer__name",
              "reason__name", "ticket__owner__name", "ticket__owner__first_name",
              "ticket__owner__last_name", "ticket__owner__username")
        .order_by("-created_at", "-id")[:limit]
    )
