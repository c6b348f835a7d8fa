"""POST /api/v1/instore/contacts/: a counter contact logged by a till, a tablet app or an
integration, through the same service as the store screen.

Roles, as on the screen: store staff (for their own stores), managers and admins (any
store); service agents 403, anonymous callers 401. A store, customer or order outside the
caller's reach is 404 (store, customer) or a field error (order), like the rest of the API.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.models import Role, Store, User
from helpdesk.customers.models import Customer
from helpdesk.customers.services import customer_record_access
from helpdesk.inbound.types import SenderClaims
from helpdesk.orders.models import Order
from helpdesk.store import access, selectors
from helpdesk.store.serializers import InStoreContactAnswer, InStoreContactSerializer, answer
from helpdesk.store.services import ORDER_NOT_THEIRS, ContactInvalid, CounterContact, store_contact_log

_EXAMPLE = {
    "external_id": "till-7-20261122-0042", "phone": "06 12345678", "store": 7,
    "reason": "delivery_question", "text": "Pakket niet ontvangen", "order": "100234",
    "outcome": "handover", "note": "Graag navragen bij PostNL",
}


class InStoreContactCreate(APIView):
    roles = access.COUNTER_ROLES

    @extend_schema(
        summary="Log an in-person contact at a store counter",
        description=(
            "The customer is `customer`, else the customer of `order_number`, else found by "
            "`email`, `phone` or `loyalty_card`, else a new customer (a walk-in who gives no "
            "details stays anonymous). The contact lands on the customer's timeline as an "
            "in-store message and store visit. `solved`: solved on the spot by the caller "
            "(first contact resolution). `handover`: the service team takes over (`owner`, else "
            "the customer's previous owner, else the team's least-loaded agent) with the note, "
            "and the customer is told on their own channel. `store_followup`: the caller owns "
            "it. Send `external_id` so a retried POST logs once (the retry answers 200)."
        ),
        request=InStoreContactSerializer,
        responses={
            201: InStoreContactAnswer,
            200: OpenApiResponse(InStoreContactAnswer, description="A retry: already logged."),
            400: OpenApiResponse(description="Invalid fields (`errors` per field)."),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="Not a counter role, or store staff without a store."),
            404: OpenApiResponse(description="Store or customer outside your reach."),
        },
        examples=[OpenApiExample("Handover of a delivery question", value=_EXAMPLE,
                                 request_only=True)],
        tags=["instore"],
    )
    def post(self, request):
        serializer = InStoreContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: User = request.user
        store = _store(user, data.get("store"))
        customer, numbered = _customer(user, data, store)
        order = _order(data, customer) or numbered
        contact = CounterContact(
            reason=data["reason"], text=data["text"], outcome=data["outcome"],
            token=_token(user, data.get("external_id")), order=order, note=data["note"],
            owner=_owner(data.get("owner")),
            walk_in=None if customer else SenderClaims(
                email=data.get("email", ""), phone=data.get("phone", ""),
                loyalty_card=data.get("loyalty_card", ""), name=data.get("name", "").strip()),
        )
        try:
            logged = store_contact_log(staff=user, store=store, customer=customer, contact=contact)
        except ContactInvalid as exc:
            raise ValidationError({name: [message] for name, message in exc.errors.items()}) from exc
        return Response(answer(logged),
                        status=status.HTTP_200_OK if logged.repeated else status.HTTP_201_CREATED)


def _store(user: User, pk: int | None) -> Store:
    if pk is not None:
        store = access.counter_store(user, pk)
        if store is None:
            raise NotFound("No such store.")
        return store
    store = access.home_store(user)
    if store is not None:
        return store
    if user.effective_role == Role.STORE_STAFF:
        raise PermissionDenied("You are not linked to a store: ask an administrator.")
    raise ValidationError({"store": ["Say which store the customer is at."]})


def _customer(user: User, data: dict, store: Store) -> tuple[Customer | None, Order | None]:
    """The customer named or looked up, with the order they were found by; (None, None) for
    a walk-in, whom ingest() finds or creates from the details they gave."""
    if data.get("customer"):
        customer = selectors.counter_customer_survivor(user, data["customer"])
        if customer is None:
            raise NotFound("No such customer.")
        return customer, None
    number = (data.get("order_number") or "").strip().lstrip("#").strip()
    if not number:
        return None, None
    orders = selectors.orders_numbered(number)
    if not orders:
        raise ValidationError({"order_number": ["No order with this number."]})
    if len({order.customer_id for order in orders}) > 1:
        raise ValidationError({"order_number": ["Several customers have an order with this "
                                                "number: name the customer or their email."]})
    customer = Customer.objects.get(pk=orders[0].customer_id)
    # A lookup at the counter, as on the screen: in the customer's access audit.
    customer_record_access(user=user, customers=[customer], store=store, query=number)
    return customer, orders[0]


def _order(data: dict, customer: Customer | None) -> Order | None:
    reference = data.get("order")
    number = (data.get("order_number") or "").strip().lstrip("#").strip()
    if reference is None and number and data.get("customer"):
        reference = ("number", number)  # the customer is named: the number says which order
    if reference is None:
        return None
    order = selectors.order_by_reference(reference, customer.pk if customer else None)
    if order is None:  # told apart from another customer's order by nothing: no probing
        raise ValidationError({"order": [ORDER_NOT_THEIRS]})
    return order


def _owner(pk: int | None) -> User | None:
    if pk is None:
        return None
    owner = User.objects.filter(pk=pk, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": ["No active staff member with this id."]})
    return owner


def _token(user: User, external_id: str | None) -> str:
    """The contact's idempotency token: the caller's own id for it, scoped to the caller
    (two tills may use the same numbering); without one, every POST is a new contact."""
    if external_id:
        return f"api-{user.pk}-{external_id}"
    return f"api-{uuid.uuid4().hex}"
