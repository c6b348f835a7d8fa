"""POST /api/v1/inbound/api/. Roles: agent, manager, admin (integration accounts).

The generic channel ingests in the request and answers with the ids (API.md)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.models import Store
from agents.permissions import SERVICE
from channels_integrations.generic.adapter import GenericContactSerializer, parse
from helpdesk.inbound.attachments import AttachmentRejected
from helpdesk.inbound.pipeline import ingest

IngestAnswer = inline_serializer(
    "IngestAnswer",
    {"message": serializers.IntegerField(), "ticket": serializers.IntegerField(),
     "customer": serializers.IntegerField(), "created": serializers.BooleanField()},
)


class GenericInbound(APIView):
    roles = SERVICE

    @extend_schema(request=GenericContactSerializer, responses={201: IngestAnswer, 200: IngestAnswer})
    def post(self, request):
        inbound = parse(request.data)
        if inbound.store_id and not Store.objects.filter(pk=inbound.store_id).exists():
            raise ValidationError({"store": "No such store."})
        try:
            result = ingest(inbound)
        except AttachmentRejected as exc:
            raise ValidationError({"attachments": str(exc)}) from exc
        return Response(
            {"message": result.message_id, "ticket": result.ticket_id,
             "customer": result.customer_id, "created": result.created},
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
