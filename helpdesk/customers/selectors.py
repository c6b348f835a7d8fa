"""Customer reads: reach for store staff, and the counter / agent search."""

from __future__ import annotations

import contextlib
import re
from difflib import SequenceMatcher

from django.db import connection, transaction
from django.db.models import Exists, FloatField, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Upper

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

# What the counter can look a customer up by; "any" tries every key that fits the query.
LOOKUP_KEYS = ("any", "phone", "email", "loyalty_card", "order", "name")
_HANDLE_KINDS = ["whatsapp", "messenger", "instagram", "external_id"]
# Names whose closest run of words shares this share of trigrams with the query match
# a typo'd name ("Jansn" finds "Daan Jansen"); pg_trgm's own default (0.6) misses many.
NAME_SIMILARITY = 0.45


def customer_search(query: str, *, limit: int = 25, key: str = "any", fuzzy: bool = False) -> list[Customer]:
    """Exact identity and order-number matches first, then names.

    `key` narrows the lookup to one kind of detail (the counter's phone, email, loyalty
    card, order or name buttons); `fuzzy` adds names that are merely similar, for a
    name the customer spells differently than it was stored.
    """
    query = query.strip()[:200]
    if not query or key not in LOOKUP_KEYS:
        return []
    ids: list[int] = []

    def add(values) -> None:
        for value in values:
            if value not in ids:
                ids.append(value)

    identity_q = _identity_query(query, key)
    if identity_q is not None:
        add(Identity.objects.filter(identity_q).values_list("customer_id", flat=True)[:limit])
    number = query.lstrip("#").strip()
    if key in ("any", "order") and number and len(number) <= 64:
        add(Order.objects.filter(number=number).values_list("customer_id", flat=True)[:limit])
    # Substring search needs three characters to use the trigram index.
    if key in ("any", "name") and len(ids) < limit and len(query) >= 3 and "@" not in query:
        # On PostgreSQL the similarity ranking puts names holding the query's words first,
        # so one trigram index scan serves both; elsewhere substrings come first.
        if not (fuzzy and connection.vendor == "postgresql"):
            add(
                Customer.objects.filter(name__icontains=query, merged_into__isnull=True)
                .order_by("name", "id")
                .values_list("id", flat=True)[: limit - len(ids)]
            )
        if fuzzy and len(ids) < limit:
            add(_similar_names(query, exclude=ids, limit=limit - len(ids)))
    found = Customer.objects.in_bulk(ids[:limit])
    return [found[pk] for pk in ids[:limit] if pk in found]


def _identity_query(query: str, key: str) -> Q | None:
    """Exact matches on normalised identities; None when the query cannot be one."""
    parts: list[Q] = []
    if key in ("any", "loyalty_card"):
        parts.append(Q(kind="loyalty_card", value=re.sub(r"[\s-]", "", query).upper()))
    if key == "any":
        parts.append(Q(kind__in=_HANDLE_KINDS, value=query))
    if key in ("any", "email") and "@" in query:
        try:
            parts.append(Q(kind="email", value=normalise_email(query)))
        except InvalidIdentity:
            parts.append(Q(kind="email", value=query.lower()))
    if key == "phone" or (key == "any" and len(_DIGITS.findall(query)) >= 6):
        with contextlib.suppress(InvalidIdentity):
            parts.append(Q(kind="phone", value=normalise_phone(query)))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _similar_names(query: str, *, exclude: list[int], limit: int) -> list[int]:
    """Names like the query, most similar first: pg_trgm on PostgreSQL, a plainer match
    elsewhere (the SQLite quick start).

    The GiST index of migration 0003 hands names out nearest first (a KNN scan under the
    LIMIT), so only the names shown are read, however many share a first name; the `%>`
    threshold lets the index skip whole subtrees. Ties are broken by name and id here,
    because a second ORDER BY key would make the database read and sort every match."""
    if connection.vendor != "postgresql":
        return _similar_names_plain(query, exclude=exclude, limit=limit)
    from django.contrib.postgres.lookups import TrigramWordSimilar

    needle = query.upper()
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to this transaction: the threshold of the indexable `%>` operator.
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                       [str(NAME_SIMILARITY)])
        rows = list(
            Customer.objects.filter(TrigramWordSimilar(Upper("name"), needle), merged_into__isnull=True)
            .exclude(pk__in=exclude)
            .annotate(distance=NameWordDistance(Upper("name"), Value(needle)))
            .order_by("distance")
            .values_list("id", "name", "distance")[:limit]
        )
    rows.sort(key=lambda row: (round(row[2], 6), row[1], row[0]))
    return [pk for pk, _, _ in rows]


class NameWordDistance(Func):
    """`upper(name) <->> query`: 1 - word_similarity(query, name). The same distance as
    Django's TrigramWordDistance (`query <<-> name`), written with the indexed expression
    on the left, the only form a GiST index can order by."""

    function = ""
    arg_joiner = " <->> "
    output_field = FloatField()


def _similar_names_plain(query: str, *, exclude: list[int], limit: int) -> list[int]:
    """Names that hold the start of every word of the query, closest spelling first."""
    words = [word for word in query.split() if len(word) >= 3][:4]
    if not words:
        return []
    match = Q()
    for word in words:
        match &= Q(name__icontains=word[:3])
    candidates = (
        Customer.objects.filter(match, merged_into__isnull=True)
        .exclude(pk__in=exclude)
        .order_by("name", "id")
        .values_list("id", "name")[:200]
    )
    needle = query.lower()
    ranked = sorted(candidates, key=lambda row: -SequenceMatcher(None, needle, row[1].lower()).ratio())
    return [pk for pk, _ in ranked[:limit]]


def current_consents(customer: Customer) -> list:
    """The consent in force per channel and purpose: the latest decision, by channel and purpose."""
    latest: dict[tuple[str, str], object] = {}
    for consent in customer.consents.order_by("-recorded_at", "-id"):
        latest.setdefault((consent.channel, consent.purpose), consent)
    return sorted(latest.values(), key=lambda c: (c.channel, c.purpose))
