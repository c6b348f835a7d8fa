"""Order upsert input (API.md 'Order upsert') and order output."""

from __future__ import annotations

from rest_framework import serializers

from helpdesk.customers.identities import InvalidIdentity, normalise_email, normalise_phone
from helpdesk.orders.models import Order, OrderLine, Return, Shipment
from helpdesk.orders.services import LineData, OrderData, ReturnData, ShipmentData


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["sku", "title", "quantity", "price"]


class ShipmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shipment
        fields = ["external_id", "carrier", "tracking_number", "status", "carrier_status", "updated_at"]
        read_only_fields = ["carrier_status"]


class ReturnSerializer(serializers.ModelSerializer):
    lines = serializers.ListField(child=serializers.CharField(max_length=64), required=False)

    class Meta:
        model = Return
        fields = ["external_id", "status", "reason", "lines", "refunded"]


class OrderSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    shipments = ShipmentSerializer(many=True, read_only=True)
    returns = ReturnSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "source", "external_id", "number", "customer", "store", "status",
                  "placed_at", "total", "currency", "email", "phone", "lines", "shipments",
                  "returns", "source_updated_at", "created_at", "updated_at"]
        read_only_fields = fields


class OrderUpsertSerializer(serializers.Serializer):
    source = serializers.RegexField(r"^[a-z0-9_.-]{1,32}$", help_text="webshop, pos, shopify…")
    external_id = serializers.CharField(max_length=128)
    number = serializers.CharField(max_length=64)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=16, required=False, allow_null=True, allow_blank=True,
                                     default=None)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    customer = serializers.IntegerField(required=False, allow_null=True)
    store = serializers.IntegerField(required=False, allow_null=True)
    status = serializers.CharField(max_length=32, default="placed")
    placed_at = serializers.DateTimeField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="EUR")
    lines = LineSerializer(many=True, required=False, default=list)
    shipments = ShipmentSerializer(many=True, required=False, default=list)
    returns = ReturnSerializer(many=True, required=False, default=list)
    updated_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="The source's last-modified time: an older payload never overwrites a newer one.",
    )

    def validate_email(self, value: str) -> str:
        return self._normalised(normalise_email, value)

    def validate_phone(self, value: str) -> str:
        return self._normalised(normalise_phone, value)

    @staticmethod
    def _normalised(normalise, value: str) -> str:
        if not value:
            return ""
        try:
            return normalise(value)
        except InvalidIdentity as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs):
        if not (attrs.get("customer") or attrs.get("email") or attrs.get("phone")):
            raise serializers.ValidationError(
                "Give the customer: `customer`, `email` or `phone`."
            )
        return attrs

    def to_order_data(self) -> OrderData:
        d = self.validated_data
        return OrderData(
            source=d["source"], external_id=d["external_id"], number=d["number"],
            placed_at=d["placed_at"], status=d["status"], email=d["email"], phone=d["phone"],
            postcode=d["postcode"] or None,
            customer_id=d.get("customer"), customer_name=d["name"], store_id=d.get("store"),
            total=d["total"], currency=d["currency"],
            lines=tuple(LineData(**line) for line in d["lines"]),
            shipments=tuple(ShipmentData(**s) for s in d["shipments"]),
            returns=tuple(ReturnData(status=r.get("status", "requested"),
                                     reason=r.get("reason", ""), lines=tuple(r.get("lines", [])),
                                     refunded=r.get("refunded", 0), external_id=r.get("external_id", ""))
                          for r in d["returns"]),
            updated_at=d["updated_at"],
        )
