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
    carrier = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=32, default="pending")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["tracking_number"])]


class Return(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(max_length=32, default="requested")
    reason = models.CharField(max_length=255, blank=True)
    lines = models.JSONField(default=list, blank=True)
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
