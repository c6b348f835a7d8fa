"""Ticket endpoints. Roles: all staff, within their reach (store staff: their stores'
tickets and their own); objects outside reach answer 404."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.models import Role, User
from agents.permissions import ALL_STAFF
from helpdesk.api.errors import bad_request, conflict
from helpdesk.api.pagination import InboxCursorPagination
from helpdesk.customers.identities import InvalidIdentity, normalise_email, normalise_phone
from helpdesk.customers.selectors import customers_in_reach
from helpdesk.customers.services import claims_from, customer_resolve
from helpdesk.inbound.attachments import AttachmentRejected
from helpdesk.inbound.types import InboundAttachment
from helpdesk.orders.models import Order
from helpdesk.tickets import selectors, services
from helpdesk.tickets.serializers import (
    AssignSerializer,
    LinkOrderSerializer,
    MessageSerializer,
    NoteSerializer,
    ReplySerializer,
    StatusSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketListSerializer,
)


def _ticket_or_404(request, pk: int):
    ticket = selectors.ticket_for_action(request.user, pk)
    if ticket is None:
        raise NotFound("No such ticket.")
    return ticket


def _detail(request, pk: int) -> dict:
    return TicketDetailSerializer(selectors.ticket_detail_for(request.user, pk)).data


_INBOX_PARAMS = [
    OpenApiParameter("view", str, enum=list(selectors.VIEWS), description="Default: all"),
    OpenApiParameter("status", str, description="Comma-separated; `any` for every status. "
                     "Default: new, open, pending, on hold"),
    OpenApiParameter("channel", str, description="Comma-separated origin channels"),
    OpenApiParameter("priority", str),
    OpenApiParameter("customer", int),
]


class TicketListCreate(generics.GenericAPIView):
    roles = ALL_STAFF
    pagination_class = InboxCursorPagination
    serializer_class = TicketListSerializer

    @extend_schema(parameters=_INBOX_PARAMS, responses=TicketListSerializer(many=True))
    def get(self, request):
        params = request.query_params
        view = params.get("view", "all")
        if view not in selectors.VIEWS:
            raise ValidationError({"view": f"One of: {', '.join(selectors.VIEWS)}."})
        customer = params.get("customer")
        if customer is not None and not customer.isdigit():
            raise ValidationError({"customer": "A customer id."})
        tickets = selectors.ticket_list_for(
            request.user, view=view, status=params.get("status"), channel=params.get("channel"),
            priority=params.get("priority"), customer=int(customer) if customer else None,
        )
        page = self.paginate_queryset(tickets)
        return self.get_paginated_response(TicketListSerializer(page, many=True).data)

    @extend_schema(request=TicketCreateSerializer, responses={201: TicketDetailSerializer})
    def post(self, request):
        data = _valid(TicketCreateSerializer, request)
        user: User = request.user
        with transaction.atomic():
            customer = self._customer(request, data)
            owner = self._owner(data, user)
            store_id = data.get("store")
            if store_id is None and user.effective_role == Role.STORE_STAFF:
                store_id = (selectors.store_ids_of(user) or [None])[0]
            team = None
            if data.get("team"):
                from agents.models import Team

                team = get_object_or_404(Team, pk=data["team"])
            ticket = services.ticket_open_by_hand(
                customer=customer, channel=data["channel"], subject=data["subject"],
                text=data["text"], team=team, store_id=store_id, priority=data["priority"],
                owner=owner, actor=user,
            )
        return Response(_detail(request, ticket.pk), status=status.HTTP_201_CREATED)

    def _customer(self, request, data):
        if data.get("customer"):
            customer = customers_in_reach(request.user).filter(pk=data["customer"]).first()
            if customer is None:
                raise NotFound("No such customer.")
            return customer.merged_into or customer
        try:
            email = normalise_email(data["customer_email"]) if data.get("customer_email") else ""
            phone = normalise_phone(data["customer_phone"]) if data.get("customer_phone") else ""
        except InvalidIdentity as exc:
            raise ValidationError({"customer": str(exc)}) from exc
        return customer_resolve(
            claims=claims_from(email=email, phone=phone), name=data.get("customer_name", "")
        ).customer

    def _owner(self, data, user: User):
        if "owner" in data:
            if data["owner"] is None:
                return None
            return get_object_or_404(User, pk=data["owner"], is_active=True)
        # Whoever opens a ticket by hand owns it, unless the counter hands it on.
        return None if user.effective_role == Role.STORE_STAFF else user


class TicketDetail(APIView):
    roles = ALL_STAFF

    @extend_schema(responses=TicketDetailSerializer)
    def get(self, request, pk: int):
        ticket = selectors.ticket_detail_for(request.user, pk)
        if ticket is None:
            raise NotFound("No such ticket.")
        return Response(TicketDetailSerializer(ticket).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TicketClaim(APIView):
    roles = ALL_STAFF

    @extend_schema(request=None, responses={200: TicketListSerializer, 409: dict})
    def post(self, request, pk: int):
        _ticket_or_404(request, pk)
        try:
            ticket = services.ticket_claim(ticket_id=pk, agent=request.user)
        except services.TicketAlreadyOwned as exc:
            owner = {"id": exc.owner.pk, "name": exc.owner.display_name} if exc.owner else None
            return conflict(str(exc), owner=owner)
        return Response(TicketListSerializer(ticket).data)


class TicketAssign(APIView):
    roles = ALL_STAFF

    @extend_schema(request=AssignSerializer, responses=TicketListSerializer)
    def post(self, request, pk: int):
        ticket = _ticket_or_404(request, pk)
        data = _valid(AssignSerializer, request)
        owner = None
        if data["owner"] is not None:
            owner = User.objects.filter(pk=data["owner"], is_active=True).first()
            if owner is None:
                raise ValidationError({"owner": "No active staff member with this id."})
        ticket = services.ticket_assign(ticket=ticket, owner=owner, actor=request.user,
                                        note=data["note"])
        return Response(TicketListSerializer(ticket).data)


class TicketReply(APIView):
    roles = ALL_STAFF

    @extend_schema(request=ReplySerializer, responses={201: MessageSerializer})
    def post(self, request, pk: int):
        ticket = _ticket_or_404(request, pk)
        data = _valid(ReplySerializer, request)
        files = tuple(
            InboundAttachment(filename=f.name, content_type=f.content_type or "", content=f.read())
            for f in data["attachments"]
        )
        try:
            message = services.ticket_reply(ticket=ticket, author=request.user, text=data["text"],
                                            channel=data.get("channel"), attachments=files)
        except (services.ChannelNotReachable, AttachmentRejected) as exc:
            return bad_request(str(exc))
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class TicketNote(APIView):
    roles = ALL_STAFF

    @extend_schema(request=NoteSerializer, responses={201: MessageSerializer})
    def post(self, request, pk: int):
        ticket = _ticket_or_404(request, pk)
        data = _valid(NoteSerializer, request)
        message = services.ticket_add_note(ticket=ticket, author=request.user, text=data["text"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class TicketStatus(APIView):
    roles = ALL_STAFF

    @extend_schema(request=StatusSerializer, responses=TicketListSerializer)
    def post(self, request, pk: int):
        ticket = _ticket_or_404(request, pk)
        data = _valid(StatusSerializer, request)
        try:
            ticket = services.ticket_set_status(ticket=ticket, status=data["status"],
                                                actor=request.user)
        except services.TicketActionError as exc:
            return conflict(str(exc))
        return Response(TicketListSerializer(ticket).data)


class TicketOrders(APIView):
    roles = ALL_STAFF

    @extend_schema(request=LinkOrderSerializer, responses=TicketDetailSerializer)
    def post(self, request, pk: int):
        ticket = _ticket_or_404(request, pk)
        data = _valid(LinkOrderSerializer, request)
        order = Order.objects.filter(pk=data["order"]).first()
        if order is None:
            raise ValidationError({"order": "No such order."})
        try:
            services.ticket_link_order(ticket=ticket, order=order, actor=request.user)
        except services.OrderNotOfCustomer as exc:
            return bad_request(str(exc))
        return Response(_detail(request, pk))
