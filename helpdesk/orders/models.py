"""Orders from the web shop, marketplaces and the stores' point of sale."""

from __future__ import annotations

from django.db import models


class Order(models.Model):
    source = models.CharField(max_length=32)
    external_id = models.CharField(max_length=128)
    number = models.CharField(max_length=64)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    store = models.ForeignKey(
        "agents.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    status = models.CharField(max_length=32, default="placed")
    placed_at = models.DateTimeField()
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    email = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # Where it ships to; with the order number it lets a chat visitor prove the order is theirs.
    postcode = models.CharField(max_length=16, null=True, blank=True)
    # The source's own last-modified time (Shopify updated_at, WooCommerce date_modified):
    # the order's version, so a late or repeated payload never overwrites a newer one.
    source_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="order_unique_source_id")
        ]
        indexes = [
            models.Index(fields=["number"]),
            models.Index(fields=["customer", "-placed_at"]),
        ]
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} #{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=255)
    quantity = models.IntegerField(default=1)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["id"]


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    # The source's id for it (a Shopify fulfillment id); empty when the source has none.
    external_id = models.CharField(max_length=128, blank=True, default="", db_default="")
    carrier = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(max_length=128, blank=True)
    # Normalised (helpdesk.orders.tracking); the carrier's own word is kept beside it.
    status = models.CharField(max_length=32, default="pending")
    carrier_status = models.CharField(max_length=128, blank=True, default="", db_default="")
    # The source's time of this status: the shipment's version.
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["tracking_number"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], condition=~models.Q(external_id=""),
                                    name="shipment_unique_source_id")
        ]


class ShipmentNotice(models.Model):
    """A proactive notice sent for a shipment turning into a troubled state: at most one each."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="notices")
    state = models.CharField(max_length=32)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shipment", "state"], name="shipment_notice_once_per_state")
        ]


class Return(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    # The source's id for it (a Shopify or WooCommerce refund id); empty when it has none.
    external_id = models.CharField(max_length=128, blank=True, default="", db_default="")
    status = models.CharField(max_length=32, default="requested")
    reason = models.CharField(max_length=255, blank=True)
    lines = models.JSONField(default=list, blank=True)
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], condition=~models.Q(external_id=""),
                                    name="return_unique_source_id")
        ]
