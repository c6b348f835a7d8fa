"""Order sources: web-shop webhooks and point-of-sale imports (mounted at /shops/)."""

from django.urls import path

from channels_integrations.shops import views

app_name = "shops"

urlpatterns = [
    path("receipts/import/", views.receipt_import, name="receipt-import"),
    path("receipts/import/<int:pk>/", views.receipt_import_detail, name="receipt-import-detail"),
    path("receipts/import/<int:pk>/status/", views.receipt_import_status, name="receipt-import-status"),
    path("<str:ref>/shopify/webhook/", views.shopify_webhook, name="shopify-webhook"),
    path("<str:ref>/woocommerce/webhook/", views.woocommerce_webhook, name="woocommerce-webhook"),
]
