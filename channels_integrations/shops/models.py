"""Order sources: web-shop connections, their webhook deliveries and point-of-sale imports."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models


class ShopKind(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"


class SecretMissing(RuntimeError):
    """A connection names an environment variable that is not set."""


_ENV_NAME = RegexValidator(r"^[A-Z][A-Z0-9_]*$", "An environment variable name, e.g. SHOP_NL_WEBHOOK_SECRET.")


class ShopConnection(models.Model):
    """One web shop of the retailer. Secrets stay in the environment: the connection only
    names the variables, so no page, API or export can ever show them."""

    kind = models.CharField(max_length=16, choices=ShopKind.choices)
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=20, unique=True, help_text="Used in the webhook URL and as order source."
    )
    base_url = models.URLField(
        help_text="Shopify: https://<shop>.myshopify.com; WooCommerce: the site's address."
    )
    api_version = models.CharField(
        max_length=16, blank=True, default="2025-01", help_text="Shopify Admin API version (e.g. 2025-01)."
    )
    access_token_env = models.CharField(
        max_length=64,
        blank=True,
        validators=[_ENV_NAME],
        help_text="Shopify: variable holding the Admin API access token.",
    )
    consumer_key_env = models.CharField(
        max_length=64,
        blank=True,
        validators=[_ENV_NAME],
        help_text="WooCommerce: variable holding the REST API consumer key.",
    )
    consumer_secret_env = models.CharField(
        max_length=64,
        blank=True,
        validators=[_ENV_NAME],
        help_text="WooCommerce: variable holding the REST API consumer secret.",
    )
    webhook_secret_env = models.CharField(
        max_length=64,
        validators=[_ENV_NAME],
        help_text="Variable holding the webhook signing secret (Shopify app / WooCommerce webhook).",
    )
    proactive_notices = models.BooleanField(
        default=False,
        help_text="Open a ticket with a drafted message when a shipment turns delayed or failed.",
    )
    is_active = models.BooleanField(default=True)
    last_backfill_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def order_source(self) -> str:
        """Orders of two shops never collide: WooCommerce ids are only unique per site."""
        return f"{self.kind}.{self.slug}"

    def secret(self, field: str) -> str:
        name = getattr(self, field)
        value = os.environ.get(name, "") if name else ""
        if not value:
            raise SecretMissing(f"{self.slug}: environment variable {name or '(' + field + ')'} is not set")
        return value

    def has_secret(self, field: str) -> bool:
        name = getattr(self, field)
        return bool(name and os.environ.get(name))


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    STALE = "stale", "Older than what we have"
    WAITING = "waiting", "Waiting for its order"
    IGNORED = "ignored", "Ignored (topic not used)"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """A verified webhook body, stored before we answer, so nothing accepted is lost and a
    payload can be replayed after a fix."""

    connection = models.ForeignKey(ShopConnection, on_delete=models.CASCADE, related_name="deliveries")
    topic = models.CharField(max_length=64)
    # The provider's delivery id (X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID): a retry repeats it.
    delivery_id = models.CharField(max_length=128, null=True, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED)
    # The order it is about (set when parsed), to replay waiting deliveries when it arrives.
    order_external_id = models.CharField(max_length=128, blank=True, default="")
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "delivery_id"],
                condition=models.Q(delivery_id__isnull=False),
                name="webhook_delivery_once",
            )
        ]
        indexes = [models.Index(fields=["connection", "status", "order_external_id"])]

    def __str__(self) -> str:
        return f"{self.connection.slug} {self.topic} #{self.pk}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReceiptImport(models.Model):
    """One CSV of store receipts: its progress, totals and the rows we could not take."""

    store = models.ForeignKey("agents.Store", on_delete=models.CASCADE, related_name="receipt_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="receipts/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    receipts = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(
        default=0, help_text="Rows of receipts without any customer detail."
    )
    bad_rows = models.PositiveIntegerField(default=0)
    # [{"line": 12, "reason": "…"}], the first few hundred.
    errors = models.JSONField(default=list, blank=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker took the job or last reported progress: a running job quiet for
    # RECEIPT_IMPORT_CLAIM_AFTER was abandoned (its worker died) and may run again.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Receipts {self.filename or self.pk} for {self.store}"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
