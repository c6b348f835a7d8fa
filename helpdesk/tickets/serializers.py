"""How tickets and messages look in the API and in real-time events."""

from __future__ import annotations

from rest_framework import serializers

from helpdesk.tickets.models import Attachment, Channel, Message, Priority, Status, Ticket


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CustomerSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class TicketListSerializer(serializers.ModelSerializer):
    customer = CustomerSummarySerializer(read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True)
    team = NamedSerializer(read_only=True, allow_null=True)
    store = NamedSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields = [
            "id", "subject", "status", "priority", "channel", "last_channel", "customer",
            "owner", "team", "store", "last_message_preview", "message_count", "created_at",
            "updated_at", "last_message_at", "first_response_due", "resolution_due",
            "first_response_at", "solved_at", "reopen_count",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "url"]

    def get_url(self, attachment: Attachment) -> str:
        return attachment.file.url if attachment.file else ""


class MessageSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id", "ticket", "channel", "direction", "author", "sender", "subject", "text",
            "html", "delivery_status", "delivery_error", "is_automatic", "sent_at",
            "created_at", "attachments",
        ]
        read_only_fields = fields


class EventMessageSerializer(MessageSerializer):
    """Events carry no attachment list, so building one never needs a query."""

    class Meta(MessageSerializer.Meta):
        fields = [f for f in MessageSerializer.Meta.fields if f != "attachments"]


class OrderSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    placed_at = serializers.DateTimeField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class IdentitySerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField()
    verified = serializers.BooleanField()


class TicketCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    identities = IdentitySerializer(many=True)


class TicketDetailSerializer(TicketListSerializer):
    customer = TicketCustomerSerializer(read_only=True)
    messages = MessageSerializer(many=True, read_only=True)
    orders = OrderSummarySerializer(many=True, read_only=True)

    class Meta(TicketListSerializer.Meta):
        fields = TicketListSerializer.Meta.fields + ["messages", "orders"]
        read_only_fields = fields


# --- Input -------------------------------------------------------------------


class TicketCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField(required=False)
    customer_email = serializers.CharField(required=False, max_length=254)
    customer_phone = serializers.CharField(required=False, max_length=32)
    customer_name = serializers.CharField(required=False, max_length=200, allow_blank=True)
    subject = serializers.CharField(max_length=255)
    text = serializers.CharField(max_length=100_000)
    channel = serializers.ChoiceField(choices=Channel.choices, default="api")
    owner = serializers.IntegerField(required=False, allow_null=True)
    team = serializers.IntegerField(required=False, allow_null=True)
    store = serializers.IntegerField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)

    def validate(self, attrs: dict) -> dict:
        if not any(attrs.get(k) for k in ("customer", "customer_email", "customer_phone")):
            raise serializers.ValidationError(
                "Give the customer: `customer`, `customer_email` or `customer_phone`."
            )
        return attrs


class AssignSerializer(serializers.Serializer):
    owner = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=100_000)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    # Files sent along (multipart/form-data), on channels that carry them (email).
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=100_000)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)


class LinkOrderSerializer(serializers.Serializer):
    order = serializers.IntegerField()
