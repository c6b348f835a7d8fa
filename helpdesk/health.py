"""GET /healthz: the state of the database, Redis and Celery, for load balancers and people."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # report, never raise: this page exists to say what is down
        return f"error: {exc.__class__.__name__}"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured (in-memory channel layer)"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def _celery() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (tasks run in the web process)"
    from helpdesk.celery import app

    try:
        replies = app.control.ping(timeout=0.5)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return f"ok ({len(replies)} workers)" if replies else "no workers answering"


@never_cache
def healthz(request):
    state = {"database": _database(), "redis": _redis(), "celery": _celery()}
    healthy = state["database"] == "ok" and not state["redis"].startswith("error")
    return JsonResponse({"status": "ok" if healthy else "error", **state},
                        status=200 if healthy else 503)
