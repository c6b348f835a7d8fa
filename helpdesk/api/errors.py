"""JSON errors everywhere: a `detail` people can read, per-field messages for validation."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, list):
            data = {"detail": " ".join(str(item) for item in data)}
        elif isinstance(data, dict) and "detail" not in data:
            data = {"detail": "Some fields are not valid.", "errors": data}
        response.data = data
    return response


def conflict(detail: str, **extra) -> Response:
    return Response({"detail": detail, **extra}, status=status.HTTP_409_CONFLICT)


def bad_request(detail: str, **extra) -> Response:
    return Response({"detail": detail, **extra}, status=status.HTTP_400_BAD_REQUEST)


def not_found_json(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error_json(request):
    return JsonResponse({"detail": "Server error; it has been logged."}, status=500)


def permission_denied_json(request, exception=None):
    return JsonResponse({"detail": "You do not have permission to do this."}, status=403)


def bad_request_json(request, exception=None):
    return JsonResponse({"detail": "Bad request."}, status=400)


__all__ = ["exception_handler", "conflict", "bad_request", "Http404", "PermissionDenied"]
