from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, what: str = "ticket") -> HttpResponse:
    """Out of reach and missing look the same: a page, not the API's JSON error."""
    return render(request, "web/404.html", {"what": what}, status=404)
