"""Writes that span customers, identities and everything hung on them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpdesk import rows
from helpdesk.customers.models import Customer, CustomerAccess, Identity, MergeSuggestion

logger = logging.getLogger(__name__)

# When claims point at different customers, the one matched by the most specific
# claim wins (a loyalty card or a handle is one person; an email is shared less often
# than a household phone).
_CLAIM_STRENGTH = ["loyalty_card", "external_id", "whatsapp", "messenger", "instagram",
                   "web_visitor", "email", "phone"]


@dataclass(frozen=True)
class ResolvedCustomer:
    customer: Customer
    is_new: bool
    # The contact was matched to a known customer without asking.
    identified: bool


def claims_from(*, email: str = "", phone: str = "", handle: str = "", handle_kind: str = "",
                loyalty_card: str = "") -> list[tuple[str, str]]:
    claims = [("email", email), ("phone", phone), (handle_kind, handle),
              ("loyalty_card", loyalty_card)]
    return [(kind, value) for kind, value in claims if kind and value]


def customer_resolve(*, claims: list[tuple[str, str]], name: str = "", lock: bool = True) -> ResolvedCustomer:
    """Find (and lock) the customer these normalised claims belong to, or create one.

    Call inside a transaction. Identities that point at two different customers are
    never merged here: the best match wins and an agent gets a merge suggestion.
    """
    found = _identities_claimed(claims, lock=lock) if claims else []
    if not found:
        customer = Customer(name=name[:200])
        rows.insert([customer])
        _add_identities(customer, claims)
        return ResolvedCustomer(customer=customer, is_new=True, identified=False)

    customers = {identity.customer_id: identity.customer for identity in found}
    best = _best_match(found)
    if len(customers) > 1:
        _suggest_merges(best, [c for pk, c in customers.items() if pk != best.pk], found)
    known = {(identity.kind, identity.value) for identity in found}
    _add_identities(best, [claim for claim in claims if claim not in known])
    if name and not best.name:
        best.name = name[:200]
        best.save(update_fields=["name", "updated_at"])
    return ResolvedCustomer(customer=best, is_new=False, identified=True)


def _identities_claimed(claims: list[tuple[str, str]], *, lock: bool) -> list[Identity]:
    """The identities matching any claim, each with its customer (locked when asked).

    Hand-written SQL: this runs for every inbound contact (see helpdesk/rows.py).
    """
    identity, customer = rows.columns(Identity, "i"), rows.columns(Customer, "c")
    where = " OR ".join(["(i.kind = %s AND i.value = %s)"] * len(claims))
    locking = rows.for_update_of("c") if lock else ""
    sql = (f"SELECT {identity.sql}, {customer.sql} FROM {Identity._meta.db_table} i "
           f"JOIN {Customer._meta.db_table} c ON c.id = i.customer_id WHERE {where}{locking}")
    return [rows.joined(row, identity, [("customer", customer)])
            for row in rows.fetch(sql, [part for claim in claims for part in claim])]


def _best_match(found: list[Identity]) -> Customer:
    best = best_customer_id([(identity.kind, identity.customer_id) for identity in found])
    return next(identity.customer for identity in found if identity.customer_id == best)


def best_customer_id(matches: list[tuple[str, int]]) -> int:
    """Of the customers that matching identities (kind, customer id) point at: the one most
    of them point at, then the one with the strongest kind (a loyalty card is one person, a
    phone may be a household's), then the oldest."""
    def strength(kind: str) -> int:
        return _CLAIM_STRENGTH.index(kind) if kind in _CLAIM_STRENGTH else len(_CLAIM_STRENGTH)

    votes: dict[int, int] = {}
    for _, customer_id in matches:
        votes[customer_id] = votes.get(customer_id, 0) + 1
    return min(matches, key=lambda m: (-votes[m[1]], strength(m[0]), m[1]))[1]


def _add_identities(customer: Customer, claims: list[tuple[str, str]]) -> None:
    if claims:
        # A conflict means another transaction took the identity first; retried by caller.
        rows.insert([Identity(customer=customer, kind=kind, value=value) for kind, value in claims])


def _suggest_merges(best: Customer, others: list[Customer], found: list[Identity]) -> None:
    detail = ", ".join(sorted(f"{i.kind} {i.value}" for i in found))
    logger.info("contact ties customers %s and %s together", best.pk, [o.pk for o in others])
    MergeSuggestion.objects.bulk_create(
        [MergeSuggestion(customer=best, other=other, reason=f"One contact claimed {detail}"[:255])
         for other in others],
        ignore_conflicts=True,
    )


class MergeError(ValueError):
    pass


@transaction.atomic
def customer_merge(*, keep: Customer, merge: Customer, actor=None) -> Customer:
    """Move every identity, ticket, message, order, consent and timeline entry to `keep`."""
    from helpdesk.orders.models import Order
    from helpdesk.tickets.models import Message, Ticket
    from helpdesk.timeline import entries
    from helpdesk.timeline.models import TimelineEntry

    if keep.pk == merge.pk:
        raise MergeError("a customer cannot be merged into itself")
    locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])}
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id or merge.merged_into_id:
        raise MergeError("one of these customers was already merged")
    for model in (Identity, Ticket, Message, Order, TimelineEntry):
        model.objects.filter(customer=merge).update(customer=keep)
    merge.consents.update(customer=keep)
    CustomerAccess.objects.filter(customer=merge).update(customer=keep)
    MergeSuggestion.objects.filter(
        Q(customer=merge, other=keep) | Q(customer=keep, other=merge), resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
    Customer.objects.filter(merged_into=merge).update(merged_into=keep)
    if not keep.name and merge.name:
        keep.name = merge.name
    keep.save()
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    entries.record(entries.customer_merged(keep=keep, merged=merge, actor=actor))
    return keep


def customer_record_access(*, user, customers: list[Customer], store=None, query: str = "") -> None:
    CustomerAccess.objects.bulk_create(
        [CustomerAccess(customer=c, user=user, store=store, query=query[:255]) for c in customers]
    )
