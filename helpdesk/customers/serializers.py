from __future__ import annotations

from rest_framework import serializers

from helpdesk.tickets.serializers import (
    IdentitySerializer,
    OrderSummarySerializer,
    TicketListSerializer,
)
from helpdesk.timeline.models import TimelineEntry


class CustomerListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    created_at = serializers.DateTimeField()


class ConsentSerializer(serializers.Serializer):
    channel = serializers.CharField()
    purpose = serializers.CharField()
    granted = serializers.BooleanField()
    source = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class CustomerProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    language = serializers.CharField()
    created_at = serializers.DateTimeField()
    identities = IdentitySerializer(many=True)
    consents = ConsentSerializer(many=True, source="current_consents")
    open_tickets = TicketListSerializer(many=True)
    recent_orders = OrderSummarySerializer(many=True)
    merge_suggestions = serializers.ListField(child=serializers.DictField())


class MergeSerializer(serializers.Serializer):
    other = serializers.IntegerField()


class TimelineEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    order = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEntry
        fields = ["id", "kind", "channel", "occurred_at", "summary", "ticket", "message",
                  "order", "actor", "data"]

    def get_actor(self, entry) -> dict | None:
        actor = entry.actor
        return {"id": actor.pk, "name": actor.display_name} if actor else None

    def get_message(self, entry) -> dict | None:
        message = entry.message
        if message is None:
            return None
        return {"id": message.pk, "direction": message.direction, "text": message.text,
                "subject": message.subject, "delivery_status": message.delivery_status}

    def get_order(self, entry) -> dict | None:
        order = entry.order
        if order is None:
            return None
        return {"id": order.pk, "number": order.number, "status": order.status,
                "source": order.source}
