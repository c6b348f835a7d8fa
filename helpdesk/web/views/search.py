from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agents.models import Role
from helpdesk.customers.selectors import customer_search
from helpdesk.customers.services import customer_record_access
from helpdesk.web import selectors


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Customers (name, email, phone, loyalty card, order number), tickets and orders."""
    query = request.GET.get("q", "").strip()[:200]
    user = request.user
    customers, tickets, orders = [], [], []
    if query:
        customers = customer_search(query, limit=25 if user.sees_every_ticket else 10)
        if customers and user.effective_role == Role.STORE_STAFF:
            # As at the counter: a lookup is recorded in the customer's access audit, and
            # brings the customer within the staff member's reach.
            customer_record_access(user=user, customers=customers, query=query, store=user.stores.first())
        tickets = selectors.tickets_matching(user, query)
        orders = selectors.orders_matching(user, query)
    return render(
        request,
        "web/search.html",
        {
            "q": query,
            "customers": customers,
            "tickets": tickets,
            "orders": orders,
            "total": len(customers) + len(tickets) + len(orders),
        },
    )
