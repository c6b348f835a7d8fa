"""Orders. Roles: list — all staff (store staff: orders of customers in their reach);
upsert — agent, manager, admin (integration accounts)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agents.models import Role, Store
from agents.permissions import ALL_STAFF, SERVICE
from helpdesk.customers.models import Customer
from helpdesk.customers.selectors import customers_in_reach
from helpdesk.orders.models import Order
from helpdesk.orders.serializers import OrderSerializer, OrderUpsertSerializer
from helpdesk.orders.services import order_upsert


class OrderListUpsert(generics.GenericAPIView):
    roles = ALL_STAFF
    roles_by_method = {"POST": SERVICE}
    serializer_class = OrderSerializer

    @extend_schema(parameters=[OpenApiParameter("customer", int), OpenApiParameter("number", str),
                               OpenApiParameter("source", str)])
    def get(self, request):
        orders = Order.objects.prefetch_related("lines", "shipments", "returns").order_by(
            "-placed_at", "-id"
        )
        if request.user.effective_role == Role.STORE_STAFF:
            orders = orders.filter(customer__in=customers_in_reach(request.user))
        params = request.query_params
        if customer := params.get("customer"):
            if not customer.isdigit():
                raise ValidationError({"customer": "A customer id."})
            orders = orders.filter(customer_id=int(customer))
        if number := params.get("number"):
            orders = orders.filter(number=number)
        if source := params.get("source"):
            orders = orders.filter(source=source)
        page = self.paginate_queryset(orders)
        return self.get_paginated_response(OrderSerializer(page, many=True).data)

    @extend_schema(request=OrderUpsertSerializer, responses={200: OrderSerializer, 201: OrderSerializer})
    def post(self, request):
        serializer = OrderUpsertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.to_order_data()
        if data.store_id and not Store.objects.filter(pk=data.store_id).exists():
            raise ValidationError({"store": "No such store."})
        try:
            order, created = order_upsert(data)
        except Customer.DoesNotExist as exc:
            raise ValidationError({"customer": "No such customer."}) from exc
        order = Order.objects.prefetch_related("lines", "shipments", "returns").get(pk=order.pk)
        return Response(OrderSerializer(order).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
