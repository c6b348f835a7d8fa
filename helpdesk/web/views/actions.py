"""Ticket actions from the ticket page: POST (CSRF-checked), then back to the ticket."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpdesk.orders.models import Order
from helpdesk.tickets import services
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.selectors import ticket_for_action
from helpdesk.web import selectors
from helpdesk.web.forms import AssignForm, LinkOrderForm, NoteForm, ReplyForm, StatusForm
from helpdesk.web.views.common import not_found
from helpdesk.web.views.ticket import render_ticket

Action = Callable[[HttpRequest, Ticket], HttpResponse]


def ticket_action(view: Action) -> Callable[[HttpRequest, int], HttpResponse]:
    """POST only, signed in, and the ticket within the caller's reach (else 404)."""

    @require_POST
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        ticket = ticket_for_action(request.user, pk)
        if ticket is None:
            return not_found(request)
        return view(request, ticket)

    return wrapper


def _back(ticket: Ticket, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:ticket", args=[ticket.pk]) + anchor)


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "That did not work."


@ticket_action
def claim(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    try:
        services.ticket_claim(ticket_id=ticket.pk, agent=request.user)
    except services.TicketAlreadyOwned as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "You own this ticket now.")
    return _back(ticket)


@ticket_action
def assign(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(ticket)
    owner = form.cleaned_data["owner"]
    services.ticket_assign(ticket=ticket, owner=owner, actor=request.user, note=form.cleaned_data["note"])
    messages.success(request, f"Handed over to {owner.display_name}." if owner else "Back in the queue.")
    return _back(ticket)


@ticket_action
def set_status(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(ticket)
    try:
        ticket = services.ticket_set_status(
            ticket=ticket, status=form.cleaned_data["status"], actor=request.user
        )
    except services.TicketActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Status: {ticket.get_status_display()}.")
    return _back(ticket)


@ticket_action
def note(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the note first.")
        return _back(ticket)
    services.ticket_add_note(ticket=ticket, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Note added.")
    return _back(ticket)


@ticket_action
def link_order(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    form = LinkOrderForm(request.POST)
    order = Order.objects.filter(pk=form.cleaned_data["order"]).first() if form.is_valid() else None
    if order is None:
        messages.error(request, "No such order.")
        return _back(ticket)
    try:
        services.ticket_link_order(ticket=ticket, order=order, actor=request.user)
    except services.OrderNotOfCustomer as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Order {order.number} linked to this ticket.")
    return _back(ticket)


_REPLY_FIELDS = {
    "text": "Reply",
    "channel": "Channel",
    "seen_at": "Reload the page (it did not say what you saw)",
    "seen_entry": "Reload the page (it did not say what you saw)",
}


@ticket_action
def reply(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """Send a reply; one to a ticket that changed since the agent loaded it asks first (409)."""
    form = ReplyForm(request.POST)
    text = request.POST.get("text", "")
    chosen = request.POST.get("channel") or None
    if not form.is_valid():
        errors = [
            f"{_REPLY_FIELDS.get(name, name)}: {error}"
            for name, errors in form.errors.items()
            for error in errors
        ]
        return render_ticket(
            request, ticket.pk, status=400, reply_text=text, reply_channel_chosen=chosen, reply_errors=errors
        )
    data = form.cleaned_data
    if not data["confirm"]:
        fresh = Ticket.objects.only("updated_at").get(pk=ticket.pk)
        changes = selectors.changes_since(fresh, seen_at=data["seen_at"], seen_entry=data["seen_entry"] or 0)
        if changes is not None:
            return render_ticket(
                request, ticket.pk, status=409, reply_text=text, reply_channel_chosen=chosen, changes=changes
            )
    try:
        message = services.ticket_reply(
            ticket=ticket, author=request.user, text=data["text"], channel=data["channel"] or None
        )
    except services.ChannelNotReachable as exc:
        return render_ticket(
            request,
            ticket.pk,
            status=400,
            reply_text=text,
            reply_channel_chosen=chosen,
            reply_errors=[str(exc)],
        )
    messages.success(request, f"Reply queued on {message.get_channel_display()}.")
    return _back(ticket)
