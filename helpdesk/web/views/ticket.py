from __future__ import annotations

import logging
from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from channels_integrations import registry
from helpdesk.customers.selectors import current_consents
from helpdesk.tickets.models import Priority, Status, Ticket
from helpdesk.tickets.services import ChannelNotReachable, choose_reply_channel
from helpdesk.web import canned, selectors
from helpdesk.web.selectors import Changes
from helpdesk.web.views.common import not_found

logger = logging.getLogger(__name__)

FULL_HISTORY = 1000


def _history_limit(full: bool) -> int:
    return FULL_HISTORY if full else selectors.HISTORY_PAGE


def chat_conversation(ticket_id: int) -> dict | None:
    """The chat visitor's claimed and verified email, when the ticket has a chat."""
    try:  # the chat channel is optional: a deployment without it shows nothing here
        from channels_integrations.chat.selectors import conversation_for_ticket
    except ImportError:
        return None
    return conversation_for_ticket(ticket_id)


def _reply_channels(ticket: Ticket, identity_kinds: set[str]) -> tuple[list[tuple[str, str]], str | None]:
    """The channels a reply can go out on, and the default: the customer's latest channel."""
    reachable = registry.reachable_channels(identity_kinds)
    try:
        default = choose_reply_channel(ticket, identity_kinds, None)
    except ChannelNotReachable:
        default = None
    return [(name, registry.spec(name).label) for name in reachable], default


def ticket_context(request: HttpRequest, ticket: Ticket, *, full_history: bool = False) -> dict:
    user = request.user
    customer = ticket.customer
    entries, more = selectors.history(customer.pk, limit=_history_limit(full_history))
    orders = selectors.orders_for(ticket)
    linked = [order for order in orders if order.is_linked]
    identities = selectors.identities(customer)
    channels, default_channel = _reply_channels(ticket, {identity.kind for identity in identities})
    values = canned.placeholder_values(
        customer=customer, agent=user, ticket=ticket, order=linked[0] if linked else None
    )
    filled = canned.fill_all(selectors.canned_replies_for(user), values)
    return {
        "ticket": ticket,
        "customer": customer,
        "entries": entries,
        "more_history": more,
        "identities": identities,
        "consents": current_consents(customer),
        "other_tickets": selectors.other_tickets(user, ticket),
        "previous_owners": selectors.previous_owners(ticket),
        "orders": orders,
        "reply_channels": channels,
        "default_channel": default_channel,
        "canned": filled,
        # For the picker's script: the text is plain and goes into the textarea as a value.
        "canned_data": [asdict(reply) for reply in filled],
        "assignees": selectors.assignees(),
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "chat": chat_conversation(ticket.pk),
        "seen_at": ticket.updated_at.isoformat(),
        "seen_entry": ticket.last_entry_id or 0,
    }


def render_ticket(
    request: HttpRequest,
    ticket_id: int,
    *,
    status: int = 200,
    reply_text: str = "",
    reply_channel_chosen: str | None = None,
    reply_errors: list[str] | None = None,
    changes: Changes | None = None,
) -> HttpResponse:
    """The ticket page; with a held-back reply (its text kept) after an error or a 409."""
    ticket = selectors.ticket_for_page(request.user, ticket_id)
    if ticket is None:
        return not_found(request)
    context = ticket_context(request, ticket, full_history=request.GET.get("history") == "all")
    context.update(
        reply_text=reply_text,
        reply_errors=reply_errors or [],
        changes=changes,
        chosen_channel=reply_channel_chosen or context["default_channel"],
    )
    return render(request, "web/ticket.html", context, status=status)


@require_GET
@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_ticket(request, pk)


@require_GET
@login_required
def ticket_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The parts of the ticket page that change under the agent's eyes, re-fetched on events."""
    ticket = selectors.ticket_for_page(request.user, pk)
    if ticket is None:
        return JsonResponse({"detail": "No such ticket."}, status=404)
    full = request.GET.get("history") == "all"
    entries, more = selectors.history(ticket.customer_id, limit=_history_limit(full))
    context = {"ticket": ticket, "entries": entries, "more_history": more}
    return JsonResponse(
        {
            "summary": render_to_string("web/_ticket_summary.html", context, request=request),
            "timeline": render_to_string("web/_timeline.html", context, request=request),
        }
    )
