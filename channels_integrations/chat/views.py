"""GET /chat/widget.js (the script shops embed), /chat/demo/ (try it) and /chat/verify/<token>/."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.views.decorators.http import require_GET

from channels_integrations.chat import verification
from channels_integrations.chat.models import ChatWidget

WIDGET_JS = Path(__file__).with_name("widget.js")
# Shops cache the script briefly, so a new release reaches their visitors within minutes.
WIDGET_MAX_AGE = 300


@cache
def _widget_source() -> tuple[bytes, str]:
    body = WIDGET_JS.read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@require_GET
def widget_js(request: HttpRequest) -> HttpResponse:
    body, etag = _widget_source()
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    # Any shop may load it; the socket, not the script, checks which shops may chat.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def demo(request: HttpRequest) -> HttpResponse:
    """A pretend shop page with the first active widget on it, for the quick start."""
    widget = ChatWidget.objects.filter(active=True).order_by("id").first()
    base = request.build_absolute_uri("/").rstrip("/")
    origin = f"{request.scheme}://{request.get_host()}"
    return render(request, "chat/demo.html", {
        "widget": widget,
        "base": base,
        "snippet": widget.snippet(base) if widget else "",
        "origin": origin,
        "origin_allowed": bool(widget and widget.allows_origin(origin)),
    })


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    conversation = verification.conversation_verify_link(token)
    return render(
        request, "chat/verified.html",
        {"ok": conversation is not None, "email": conversation.claimed_email if conversation else "",
         "widget": conversation.widget if conversation else None},
        status=200 if conversation else 400,
    )
