"""Shop webhooks (signature only, no login) and the store-receipt upload pages.

Roles: webhooks — none (the shop's HMAC signature); receipt import pages — manager and
admin for every store, store staff for their own stores; agents are refused (403).
"""

from __future__ import annotations

import json
import logging
from types import ModuleType

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agents.models import Role, Store
from channels_integrations.shops import services, shopify, woocommerce
from channels_integrations.shops.models import ReceiptImport, SecretMissing, ShopConnection, ShopKind
from channels_integrations.shops.receipts import receipt_import_start
from helpdesk.store.access import counter_stores
from helpdesk.web.views.common import not_found

logger = logging.getLogger(__name__)

IMPORT_ROLES = (Role.STORE_STAFF, Role.MANAGER, Role.ADMIN)
RECEIPT_EXTENSIONS = (".csv", ".txt")
# A text file has no NUL byte; looking at its start tells a spreadsheet or image apart.
_SNIFF_BYTES = 8192


def _error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _connection(ref: str, kind: str) -> ShopConnection | None:
    match = Q(slug=ref) | (Q(pk=int(ref)) if ref.isdigit() else Q(pk__in=[]))
    return ShopConnection.objects.filter(match, kind=kind, is_active=True).first()


def _receive(request: HttpRequest, ref: str, kind: str, adapter: ModuleType) -> JsonResponse:
    connection = _connection(ref, kind)
    if connection is None:
        return _error("No such shop connection.", 404)
    body = request.body
    if adapter.is_ping(body, request.content_type):
        return JsonResponse({"detail": "Webhook ping received."})
    try:
        secret = connection.secret("webhook_secret_env")
    except SecretMissing:
        logger.error(
            "shop %s: webhook secret variable %s is not set", connection.slug, connection.webhook_secret_env
        )
        return _error("This shop connection has no webhook secret configured.", 503)
    if not adapter.verify(body, request.headers.get(adapter.SIGNATURE_HEADER, ""), secret):
        return _error(f"Missing or wrong {adapter.SIGNATURE_HEADER} signature.", 401)
    try:
        # Decoded once: the text we parse here is the text we store and process later.
        text = body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return _error("The body is not UTF-8 text.", 400)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(f"The body is not valid JSON: {exc}", 400)
    if not isinstance(payload, dict):
        return _error("The body must be a JSON object.", 400)
    topic = request.headers.get(adapter.TOPIC_HEADER, "").strip()
    if not topic:
        return _error(f"The {adapter.TOPIC_HEADER} header is missing.", 400)
    delivery, created = services.webhook_receive(
        connection=connection,
        topic=topic,
        delivery_id=request.headers.get(adapter.DELIVERY_HEADER),
        body=text,
    )
    return JsonResponse({"delivery": delivery.pk, "duplicate": not created})


@csrf_exempt
@require_POST
def shopify_webhook(request: HttpRequest, ref: str) -> JsonResponse:
    return _receive(request, ref, ShopKind.SHOPIFY, shopify)


@csrf_exempt
@require_POST
def woocommerce_webhook(request: HttpRequest, ref: str) -> JsonResponse:
    return _receive(request, ref, ShopKind.WOOCOMMERCE, woocommerce)


# --- store receipts ---------------------------------------------------------------------


class ReceiptUploadForm(forms.Form):
    store = forms.ModelChoiceField(queryset=Store.objects.none(), empty_label=None)
    file = forms.FileField(label="Receipts (CSV)")

    def __init__(self, *args, stores: QuerySet[Store], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores

    def clean_file(self):
        """A till export is text: refuse what is too big or plainly not CSV before storing it."""
        upload = self.cleaned_data["file"]
        limit = settings.RECEIPT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {filesizeformat(limit)}.")
        if not upload.name.lower().endswith(RECEIPT_EXTENSIONS):
            raise forms.ValidationError("Upload the till export as a .csv or .txt file.")
        upload.seek(0)
        start = upload.read(_SNIFF_BYTES)
        upload.seek(0)
        if b"\x00" in start:
            raise forms.ValidationError("This is not a text file; export the receipts from the till as CSV.")
        return upload


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "shops/refused.html", status=403)


@login_required
@require_http_methods(["GET", "POST"])
def receipt_import(request: HttpRequest) -> HttpResponse:
    if request.user.effective_role not in IMPORT_ROLES:
        return _refused(request)
    stores = counter_stores(request.user)
    form = ReceiptUploadForm(request.POST or None, request.FILES or None, stores=stores)
    if request.method == "POST" and form.is_valid():
        job = receipt_import_start(
            store=form.cleaned_data["store"], upload=form.cleaned_data["file"], user=request.user
        )
        return redirect("shops:receipt-import-detail", pk=job.pk)
    recent = ReceiptImport.objects.filter(store__in=stores).select_related("store")[:10]
    return render(
        request, "shops/receipt_import.html", {"form": form, "recent": recent, "columns": _columns()}
    )


def _job_for(request: HttpRequest, pk: int) -> ReceiptImport | None:
    return (
        ReceiptImport.objects.select_related("store")
        .filter(pk=pk, store__in=counter_stores(request.user))
        .first()
    )


@login_required
@require_GET
def receipt_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.effective_role not in IMPORT_ROLES:
        return _refused(request)
    job = _job_for(request, pk)
    if job is None:
        return not_found(request, "import")
    return render(request, "shops/receipt_import_detail.html", {"job": job})


@login_required
@require_GET
def receipt_import_status(request: HttpRequest, pk: int) -> JsonResponse:
    if request.user.effective_role not in IMPORT_ROLES:
        return _error("Only managers, admins and store staff import receipts.", 403)
    job = _job_for(request, pk)
    if job is None:
        return _error("Not found.", 404)
    return JsonResponse(status_payload(job))


def status_payload(job: ReceiptImport) -> dict:
    return {
        "id": job.pk,
        "store": job.store.code,
        "filename": job.filename,
        "status": job.status,
        "percent": job.percent,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "imported_rows": job.imported_rows,
        "receipts": job.receipts,
        "skipped_rows": job.skipped_rows,
        "bad_rows": job.bad_rows,
        "errors": job.errors[:100],
        "detail": job.detail,
    }


def _columns() -> list[tuple[str, str]]:
    from channels_integrations.shops import receipts

    rows = []
    for line in (receipts.__doc__ or "").splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] in ("required", "optional"):
            rows.append((parts[0], f"{parts[1]}: {parts[2]}"))
    return rows
