"""The landing page: what is running and where to go."""

from __future__ import annotations

from django.shortcuts import render

from helpdesk.customers.models import Customer
from helpdesk.orders.models import Order
from helpdesk.tickets.models import OPEN_STATUSES, Ticket


def home(request):
    context = {
        "counts": {
            "customers": Customer.objects.filter(merged_into__isnull=True).count(),
            "open_tickets": Ticket.objects.filter(status__in=OPEN_STATUSES).count(),
            "orders": Order.objects.count(),
        }
    }
    return render(request, "home.html", context)
