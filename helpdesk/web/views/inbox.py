from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpdesk.customers.selectors import customers_in_reach
from helpdesk.web import selectors
from helpdesk.web.forms import InboxFilterForm


def _inbox(request: HttpRequest) -> dict:
    form = InboxFilterForm(request.GET)
    filters = form.filters()
    now = timezone.now()
    tickets, has_more = selectors.inbox_tickets(request.user, filters, now=now, page=form.page_number())
    return {
        "form": form,
        "filters": filters,
        "page": form.page_number(),
        "tickets": tickets,
        "has_more": has_more,
        "counts": selectors.inbox_counts(request.user, filters, now=now),
    }


def _query(request: HttpRequest, **changes) -> str:
    """The current inbox query with some parameters changed (None drops one)."""
    query: QueryDict = request.GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = _inbox(request)
    filters = context["filters"]
    views = selectors.visible_views(request.user)
    context["views"] = [
        {
            "key": key,
            "label": label,
            "count": context["counts"][key],
            "query": _query(request, view=key, page=None),
        }
        for key, label in views
    ]
    context["view_label"] = dict(views).get(filters.view, "All")
    context["rows_query"] = request.GET.urlencode()
    page = context["page"]
    context["newer_query"] = _query(request, page=str(page - 1) if page > 2 else None) if page > 1 else None
    context["older_query"] = _query(request, page=str(page + 1)) if context["has_more"] else None
    if filters.customer:
        customers = customers_in_reach(request.user).only("id", "name")
        context["customer"] = customers.filter(pk=filters.customer).first()
    return render(request, "web/inbox.html", context)


@require_GET
@login_required
def inbox_rows(request: HttpRequest) -> JsonResponse:
    """The rows and counts of the same inbox query: what the page re-fetches on a live event."""
    context = _inbox(request)
    rows = render_to_string("web/_inbox_rows.html", context, request=request)
    return JsonResponse({"rows": rows, "counts": context["counts"], "has_more": context["has_more"]})
