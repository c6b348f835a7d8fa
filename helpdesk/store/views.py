"""The store counter screen. Roles: store staff (their own stores), managers and admins
(any store); service agents are refused (403), anonymous visitors go to the login page.
Customers outside the person's reach are 404. Views parse input, call the store
selectors and services, and render; they hold no business rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from channels_integrations import registry
from helpdesk.customers.selectors import current_consents
from helpdesk.customers.services import customer_record_access
from helpdesk.store import access, selectors
from helpdesk.store.forms import ConsentForm, ContactForm, LookupForm, WalkInForm
from helpdesk.store.services import (
    ContactInvalid,
    LoggedContact,
    consent_record,
    store_contact_log,
)
from helpdesk.web import selectors as web_selectors
from helpdesk.web.views.common import not_found

# The lookup buttons: what the customer says, and the keyboard it needs (see counter.js).
KEY_CHOICES = [("phone", "Phone"), ("email", "Email"), ("loyalty_card", "Loyalty card"),
               ("order", "Order number"), ("name", "Name"), ("any", "Anything")]


def counter_view(view: Callable) -> Callable:
    """Signed in, allowed at a counter, and working at a store; the store is passed on."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not access.may_use_counter(request.user):
            return render(request, "store/refused.html", {"reason": "role"}, status=403)
        # One query for the store switch and the current store alike.
        request.counter_stores = list(access.counter_stores(request.user).select_related("team"))
        store = access.pick_store(request.counter_stores, request.session)
        if store is None:
            return render(request, "store/refused.html", {"reason": "no_store"}, status=403)
        return view(request, store, *args, **kwargs)

    return wrapped


def _base_context(request: HttpRequest, store) -> dict:
    return {"store": store, "stores": request.counter_stores,
            "key_choices": KEY_CHOICES, "photo_limit": settings.STORE_PHOTO_MAX_BYTES}


@require_GET
@counter_view
def lookup(request: HttpRequest, store) -> HttpResponse:
    """Find the customer at the counter; every lookup is in the customers' access audit."""
    form = LookupForm(request.GET or None)
    found, searched = [], False
    if form.is_bound and form.is_valid():
        query, key = form.cleaned_data["q"], form.cleaned_data["key"]
        found, searched = selectors.lookup(query, key=key), True
        if found:
            customer_record_access(user=request.user, customers=found, store=store, query=query)
    context = _base_context(request, store) | {
        "form": form, "found": found, "searched": searched,
        "key": form.cleaned_data.get("key", "any") if form.is_bound and form.is_valid() else
        request.GET.get("key", "phone"),
        "recent": selectors.recent_contacts(store),
    }
    return render(request, "store/lookup.html", context)


@require_POST
@login_required
def choose_store(request: HttpRequest) -> HttpResponse:
    """Which of the person's stores this screen logs for (kept for the session)."""
    store = access.counter_store(request.user, _int(request.POST.get("store")))
    if store is None:
        return not_found(request, "store")
    request.session[access.SESSION_KEY] = store.pk
    return redirect("store:lookup")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _customer_context(request: HttpRequest, store, customer, *, contact_form=None,
                      consent_form=None) -> dict:
    orders = selectors.customer_orders(customer.pk)
    tickets = selectors.open_tickets(customer.pk)
    entries, more = web_selectors.history(customer.pk)
    consents = current_consents(customer)
    channels = selectors.consent_channels(customer)
    return _base_context(request, store) | {
        "customer": customer,
        "identities": list(customer.identities.all()),
        "orders": orders,
        "open_tickets": tickets,
        "entries": entries,
        "more_history": more,
        "consents": consents,
        "contact_form": contact_form or ContactForm(customer=customer, orders=orders, tickets=tickets),
        "consent_form": consent_form or ConsentForm(
            channels=channels, purposes=selectors.consent_purposes(),
            in_force={(c.channel, c.purpose): c for c in consents}),
    }


def _counter_customer(request: HttpRequest, pk: int):
    customer = selectors.customer_for_counter(request.user, pk)
    if customer is None:
        return None, not_found(request, "customer")
    if customer.merged_into_id:
        survivor = customer.merged_into
        while survivor.merged_into_id:
            survivor = survivor.merged_into
        return None, redirect("store:customer", pk=survivor.pk)
    return customer, None


@require_GET
@counter_view
def customer_page(request: HttpRequest, store, pk: int) -> HttpResponse:
    customer, refusal = _counter_customer(request, pk)
    if refusal:
        return refusal
    return render(request, "store/customer.html", _customer_context(request, store, customer))


@require_POST
@counter_view
def log_contact(request: HttpRequest, store, pk: int) -> HttpResponse:
    customer, refusal = _counter_customer(request, pk)
    if refusal:
        return refusal
    if _int(request.POST.get("store")) not in (None, store.pk):
        return not_found(request, "store")  # a form from another store's screen
    orders = selectors.customer_orders(customer.pk)
    tickets = selectors.open_tickets(customer.pk)
    form = ContactForm(request.POST, request.FILES, customer=customer, orders=orders, tickets=tickets)
    if not form.is_valid():
        context = _customer_context(request, store, customer, contact_form=form)
        return render(request, "store/customer.html", context, status=400)
    try:
        logged = store_contact_log(staff=request.user, store=store, customer=customer,
                                   contact=form.counter_contact())
    except ContactInvalid as exc:
        form.add_problems(exc.errors)
        context = _customer_context(request, store, customer, contact_form=form)
        return render(request, "store/customer.html", context, status=400)
    _announce(request, logged)
    return redirect("store:customer", pk=customer.pk)


@require_http_methods(["GET", "POST"])
@counter_view
def walk_in(request: HttpRequest, store) -> HttpResponse:
    """A contact from someone who gives no (or few) details: no lookup first."""
    form = WalkInForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _int(request.POST.get("store")) not in (None, store.pk):
            return not_found(request, "store")
        if form.is_valid():
            try:
                logged = store_contact_log(staff=request.user, store=store, customer=None,
                                           contact=form.counter_contact())
            except ContactInvalid as exc:
                form.add_problems(exc.errors)
            else:
                _announce(request, logged)
                return redirect("store:customer", pk=logged.contact.customer_id)
    context = _base_context(request, store) | {"contact_form": form}
    return render(request, "store/walk_in.html", context, status=400 if form.errors else 200)


@require_POST
@counter_view
def record_consent(request: HttpRequest, store, pk: int) -> HttpResponse:
    customer, refusal = _counter_customer(request, pk)
    if refusal:
        return refusal
    consents = current_consents(customer)
    form = ConsentForm(request.POST, channels=selectors.consent_channels(customer),
                       purposes=selectors.consent_purposes(),
                       in_force={(c.channel, c.purpose): c for c in consents})
    if not form.is_valid():
        context = _customer_context(request, store, customer, consent_form=form)
        return render(request, "store/customer.html", context, status=400)
    rows = consent_record(customer=customer, decisions=form.decisions(), actor=request.user, store=store)
    messages.success(request, f"Consent recorded ({len(rows)} change{'s' if len(rows) != 1 else ''})."
                     if rows else "Nothing changed: every answer was already on record.")
    return redirect(reverse("store:customer", args=[customer.pk]) + "#consent")


def _announce(request: HttpRequest, logged: LoggedContact) -> None:
    contact = logged.contact
    if logged.repeated:
        messages.info(request, f"Already logged as ticket #{contact.ticket_id}.")
        return
    owner = logged.owner.display_name if logged.owner else "nobody yet"
    text = {
        "solved": f"Logged and solved on the spot: ticket #{contact.ticket_id}.",
        "handed_over": f"Handed over: ticket #{contact.ticket_id} is now owned by {owner}.",
        "store_follow_up": f"Logged for follow-up by the store: ticket #{contact.ticket_id}, "
                           f"owned by {owner}.",
    }[contact.outcome]
    if logged.told_on:
        text += f" The customer was told by {registry.spec(logged.told_on).label}."
    messages.success(request, text)
    for warning in logged.warnings:
        messages.warning(request, warning)
