"""POST /api/v1/instore/contacts/: the counter contact as JSON, parsed at the edge.

The words of API.md are accepted for the outcome (`handover`, `store_followup`) besides
the screen's own (`handed_over`, `store_follow_up`); the answer uses API.md's words.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helpdesk.customers.identities import (
    InvalidIdentity,
    normalise_email,
    normalise_loyalty_card,
    normalise_phone,
)
from helpdesk.store.models import ContactReason, Outcome, reason_code

API_OUTCOMES = {"solved": Outcome.SOLVED, "handover": Outcome.HANDED_OVER,
                "store_followup": Outcome.STORE_FOLLOW_UP}
OUTCOME_CHOICES = {**API_OUTCOMES, **{outcome.value: outcome.value for outcome in Outcome}}
API_WORD = {outcome: word for word, outcome in API_OUTCOMES.items()}


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}],
                      "description": "The order's id (a number), or its order number (a string)."})
class OrderReference(serializers.Field):
    """An integer is an order id, a string an order number ("100234")."""

    default_error_messages = {"invalid": "An order id (a number) or an order number (a string)."}

    def to_internal_value(self, data) -> tuple[str, int | str]:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return ("id", data)
        if isinstance(data, str) and data.strip().lstrip("#").strip():
            return ("number", data.strip().lstrip("#").strip()[:64])
        self.fail("invalid")

    def to_representation(self, value):
        return value


class InStoreContactSerializer(serializers.Serializer):
    external_id = serializers.CharField(
        required=False, max_length=100,
        help_text="Your own id for this contact. A POST repeated with the same id (a retry) "
                  "logs nothing new and answers 200 with the contact already logged.")
    customer = serializers.IntegerField(
        required=False, min_value=1,
        help_text="A customer you looked up (GET /api/v1/customers/?q=). Else the lookup "
                  "fields below find the customer, or a new one is made.")
    order_number = serializers.CharField(
        required=False, allow_blank=True, max_length=64,
        help_text="Finds the customer by an order of theirs; that order is linked unless "
                  "`order` names another.")
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    loyalty_card = serializers.CharField(required=False, allow_blank=True, max_length=64)
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=200,
        help_text="The name of a new customer. A name alone never picks an existing customer "
                  "(two people share a name): look them up first.")
    store = serializers.IntegerField(
        required=False, min_value=1,
        help_text="Default: your own store. Store staff log for their own stores only.")
    reason = serializers.CharField(
        max_length=80, help_text="A reason's code: return, exchange, complaint, "
                                 "delivery_question, product_advice, other (or as configured).")
    text = serializers.CharField(max_length=5000, help_text="What the customer said.")
    order = OrderReference(required=False, help_text="The order this is about; the customer's own.")
    outcome = serializers.ChoiceField(choices=list(OUTCOME_CHOICES))
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="For the next person: required with `handover`.")
    handover_note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, write_only=True,
        help_text="Another name for `note` (API.md).")
    owner = serializers.IntegerField(
        required=False, min_value=1,
        help_text="With `handover`: the service team member who takes over. Default: the "
                  "customer's previous owner, else the store's team's least-loaded agent.")

    def validate_email(self, value: str) -> str:
        return _normalised(normalise_email, value, "That is not an email address.")

    def validate_phone(self, value: str) -> str:
        return _normalised(normalise_phone, value, "That is not a phone number.")

    def validate_loyalty_card(self, value: str) -> str:
        return _normalised(normalise_loyalty_card, value, "That is not a loyalty card number.")

    def validate_reason(self, value: str) -> ContactReason:
        reason = ContactReason.objects.filter(code=reason_code(value), active=True).first()
        if reason is None:
            codes = ", ".join(ContactReason.objects.filter(active=True).values_list("code", flat=True))
            raise serializers.ValidationError(f"No such reason. One of: {codes}.")
        return reason

    def validate_outcome(self, value: str) -> str:
        return OUTCOME_CHOICES[value]

    def validate(self, attrs: dict) -> dict:
        if attrs.get("handover_note") and not attrs.get("note"):
            attrs["note"] = attrs["handover_note"]
        attrs.pop("handover_note", None)
        attrs["note"] = attrs.get("note", "").strip()
        return attrs


def _normalised(normalise, value: str, message: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return normalise(value)
    except InvalidIdentity as exc:
        raise serializers.ValidationError(message) from exc


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InStoreContactAnswer(serializers.Serializer):
    contact = serializers.IntegerField(help_text="The store contact (for store KPIs).")
    ticket = serializers.IntegerField()
    message = serializers.IntegerField()
    customer = serializers.IntegerField()
    store = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=list(API_OUTCOMES))
    owner = OwnerSerializer(allow_null=True, help_text="Who owns the ticket now.")
    told_on = serializers.CharField(
        help_text="Handover: the channel the customer was told on who follows up; '' if none.")
    warnings = serializers.ListField(child=serializers.CharField())
    created = serializers.BooleanField(help_text="False: a retry of a contact already logged.")


def answer(logged) -> dict:
    contact = logged.contact
    owner = logged.owner
    return {
        "contact": contact.pk, "ticket": contact.ticket_id, "message": contact.message_id,
        "customer": contact.customer_id, "store": contact.store_id,
        "outcome": API_WORD[contact.outcome],
        "owner": {"id": owner.pk, "name": owner.display_name} if owner else None,
        "told_on": logged.told_on, "warnings": list(logged.warnings),
        "created": not logged.repeated,
    }
