"""Customer endpoints. Roles: search, profile, timeline — all staff (store staff: the
customers they looked up or whose tickets they reach); merge — agent, manager, admin."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.models import Role
from agents.permissions import ALL_STAFF, SERVICE
from helpdesk.api.errors import bad_request
from helpdesk.api.pagination import TimelineCursorPagination
from helpdesk.customers import selectors, services
from helpdesk.customers.models import Customer, MergeSuggestion
from helpdesk.customers.serializers import (
    CustomerListSerializer,
    CustomerProfileSerializer,
    MergeSerializer,
    TimelineEntrySerializer,
)
from helpdesk.tickets.models import OPEN_STATUSES, Ticket
from helpdesk.timeline.models import TimelineEntry


def _merged_pointer(request, customer: Customer, suffix: str = "") -> Response:
    """A merged customer's id answers with where its history went."""
    survivor = customer.merged_into
    while survivor.merged_into_id:
        survivor = survivor.merged_into
    location = f"/api/v1/customers/{survivor.pk}/{suffix}"
    response = Response(
        {"detail": f"Customer {customer.pk} was merged into customer {survivor.pk}.",
         "merged_into": survivor.pk, "location": location},
        status=status.HTTP_301_MOVED_PERMANENTLY,
    )
    response["Location"] = location
    return response


def _customer_or_404(request, pk: int) -> Customer:
    customer = (
        selectors.customers_in_reach(request.user).select_related("merged_into")
        .filter(pk=pk).first()
    )
    if customer is None:
        raise NotFound("No such customer.")
    return customer


class CustomerSearch(generics.GenericAPIView):
    roles = ALL_STAFF
    serializer_class = CustomerListSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str, description=(
        "Name, email, phone, loyalty card or order number"))],
        responses=CustomerListSerializer(many=True))
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": "Say what to look for: a name, email, phone, "
                                        "loyalty card or order number."})
        user = request.user
        found = selectors.customer_search(query, limit=10 if not user.sees_every_ticket else 25)
        if user.effective_role == Role.STORE_STAFF and found:
            # The counter's lookups are the customer's access audit, and its reach.
            services.customer_record_access(
                user=user, customers=found, query=query, store=user.stores.first()
            )
        return Response({"next": None, "previous": None, "count": len(found),
                         "results": CustomerListSerializer(found, many=True).data})


class CustomerProfile(APIView):
    roles = ALL_STAFF

    @extend_schema(responses={200: CustomerProfileSerializer, 301: dict})
    def get(self, request, pk: int):
        customer = _customer_or_404(request, pk)
        if customer.merged_into_id:
            return _merged_pointer(request, customer)
        customer = Customer.objects.prefetch_related(
            "identities",
            Prefetch("tickets", Ticket.objects.filter(status__in=OPEN_STATUSES)
                     .select_related("owner", "team", "store").order_by("-updated_at"),
                     to_attr="open_tickets"),
        ).get(pk=customer.pk)
        for ticket in customer.open_tickets:
            ticket.customer = customer
        customer.recent_orders = list(customer.orders.order_by("-placed_at", "-id")[:10])
        customer.current_consents = selectors.current_consents(customer)
        customer.merge_suggestions = [
            {"other": s.other_id if s.customer_id == customer.pk else s.customer_id,
             "reason": s.reason, "created_at": s.created_at.isoformat()}
            for s in MergeSuggestion.objects.filter(resolved_at__isnull=True).filter(
                customer=customer) | MergeSuggestion.objects.filter(
                resolved_at__isnull=True, other=customer)
        ]
        return Response(CustomerProfileSerializer(customer).data)


class CustomerTimeline(generics.GenericAPIView):
    roles = ALL_STAFF
    pagination_class = TimelineCursorPagination
    serializer_class = TimelineEntrySerializer

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("channel", str)],
                   responses=TimelineEntrySerializer(many=True))
    def get(self, request, pk: int):
        customer = _customer_or_404(request, pk)
        if customer.merged_into_id:
            return _merged_pointer(request, customer, "timeline/")
        entries = TimelineEntry.objects.filter(customer_id=customer.pk).select_related(
            "message", "order", "actor"
        )
        if kind := request.query_params.get("kind"):
            entries = entries.filter(kind__in=kind.split(","))
        if channel := request.query_params.get("channel"):
            entries = entries.filter(channel__in=channel.split(","))
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(TimelineEntrySerializer(page, many=True).data)


class CustomerMerge(APIView):
    roles = SERVICE

    @extend_schema(request=MergeSerializer, responses=CustomerListSerializer)
    def post(self, request, pk: int):
        keep = _customer_or_404(request, pk)
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        other = selectors.customers_in_reach(request.user).filter(
            pk=serializer.validated_data["other"]
        ).first()
        if other is None:
            raise ValidationError({"other": "No such customer."})
        try:
            survivor = services.customer_merge(keep=keep, merge=other, actor=request.user)
        except services.MergeError as exc:
            return bad_request(str(exc))
        return Response(CustomerListSerializer(survivor).data)
