"""Admin pages: shop connections (secrets only by variable name), deliveries, receipt imports."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse

from channels_integrations.shops.models import DeliveryStatus, ReceiptImport, ShopConnection, WebhookDelivery


@admin.register(ShopConnection)
class ShopConnectionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "slug",
        "base_url",
        "secrets_set",
        "proactive_notices",
        "is_active",
        "last_backfill_at",
    )
    list_filter = ("kind", "is_active")
    readonly_fields = ("webhook_url", "secrets_set", "last_backfill_at", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    actions = ["start_backfill"]

    @admin.display(description="Webhook URL (path)")
    def webhook_url(self, obj: ShopConnection) -> str:
        if not obj.pk:
            return "Saved first."
        return reverse(f"shops:{obj.kind}-webhook", args=[obj.slug])

    @admin.display(description="Secrets in the environment")
    def secrets_set(self, obj: ShopConnection) -> str:
        fields = ["webhook_secret_env"] + (
            ["access_token_env"] if obj.kind == "shopify" else ["consumer_key_env", "consumer_secret_env"]
        )
        missing = [getattr(obj, f) or f for f in fields if not obj.has_secret(f)]
        return "all set" if not missing else "missing: " + ", ".join(missing)

    @admin.action(description="Backfill orders through the shop's API")
    def start_backfill(self, request, queryset):
        from channels_integrations.shops.tasks import backfill_orders_task

        for connection in queryset:
            backfill_orders_task.delay(connection.pk)
        messages.info(request, f"Backfill queued for {queryset.count()} connection(s).")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "connection", "topic", "status", "order_external_id", "received_at", "processed_at")
    list_filter = ("status", "connection", "topic")
    search_fields = ("order_external_id", "delivery_id")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Process again (after a fix)")
    def replay(self, request, queryset):
        from channels_integrations.shops.tasks import process_delivery

        ids = list(queryset.values_list("pk", flat=True))
        WebhookDelivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.RECEIVED, error="")
        for pk in ids:
            process_delivery.delay(pk)
        messages.info(request, f"{len(ids)} deliveries queued.")


@admin.register(ReceiptImport)
class ReceiptImportAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "store",
        "filename",
        "status",
        "imported_rows",
        "receipts",
        "bad_rows",
        "created_at",
    )
    list_filter = ("status", "store")
    readonly_fields = [f.name for f in ReceiptImport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
