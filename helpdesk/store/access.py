"""Who may use the store counter screen, and for which stores.

Store staff work at the counters of their own stores (User.stores); managers and admins
may stand in at any store. Service agents work in the inbox, not at a counter: they are
refused, because a counter contact is always logged for a store the person works at.
"""

from __future__ import annotations

from django.db.models import QuerySet

from agents.models import Role, Store, User

COUNTER_ROLES = (Role.STORE_STAFF, Role.MANAGER, Role.ADMIN)
SESSION_KEY = "store_counter_store"


def may_use_counter(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.effective_role in COUNTER_ROLES)


def counter_stores(user: User) -> QuerySet[Store]:
    """The stores this person may log counter contacts for."""
    if not may_use_counter(user):
        return Store.objects.none()
    if user.effective_role == Role.STORE_STAFF:
        return user.stores.all()
    return Store.objects.all()


def current_store(user: User, session) -> Store | None:
    """The store chosen in this session, else the person's first store."""
    return pick_store(list(counter_stores(user).select_related("team")), session)


def pick_store(stores: list[Store], session) -> Store | None:
    """Of the stores already loaded for the page (one query for both), the session's choice."""
    chosen = session.get(SESSION_KEY)
    for store in stores:
        if store.pk == chosen:
            return store
    return stores[0] if stores else None


def counter_store(user: User, pk: int | None) -> Store | None:
    """The store `pk` if this person may log counter contacts for it, else None."""
    if pk is None:
        return None
    return counter_stores(user).select_related("team").filter(pk=pk).first()


def home_store(user: User) -> Store | None:
    """Where a contact is logged when the caller names no store: their own (first) store.
    Managers and admins who belong to no store must name one."""
    if not may_use_counter(user):
        return None
    return user.stores.select_related("team").order_by("name", "id").first()
