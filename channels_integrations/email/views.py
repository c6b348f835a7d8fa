"""POST /api/v1/inbound/email/raw/: one raw RFC 5322 message, as an MTA pipe sends it.

Roles: agent, manager, admin (integration accounts), as the generic inbound API.
Body: the message bytes with Content-Type message/rfc822. Optional query parameters:
`mailbox` (the support address it was delivered to) and `recipient` (the envelope
recipient, e.g. support+t12-…@shop.example). The mail is stored and processed in the
request; the answer says what became of it.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agents.permissions import SERVICE
from channels_integrations.email import inbound
from channels_integrations.email.models import Mailbox


class RawEmailParser(BaseParser):
    media_type = "message/rfc822"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        limit = settings.EMAIL_RAW_MAX_BYTES
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise ParseError(f"the message is larger than {limit} bytes (EMAIL_RAW_MAX_BYTES)")
        return data


RawAnswer = inline_serializer(
    "RawEmailAnswer",
    {
        "inbound_email": serializers.IntegerField(),
        "state": serializers.ChoiceField(
            choices=["received", "ingested", "automatic", "bounce", "quarantined"]
        ),
        "reason": serializers.CharField(),
        "message": serializers.IntegerField(allow_null=True),
        "ticket": serializers.IntegerField(allow_null=True),
        "created": serializers.BooleanField(),
    },
)


class RawEmailInbound(APIView):
    roles = SERVICE
    parser_classes = [RawEmailParser]

    @extend_schema(
        request={"message/rfc822": {"type": "string", "format": "binary"}},
        parameters=[OpenApiParameter("mailbox", str), OpenApiParameter("recipient", str)],
        responses={201: RawAnswer, 200: RawAnswer},
    )
    def post(self, request):
        raw = request.data
        if not isinstance(raw, bytes) or not raw.strip():
            raise ValidationError({"detail": "Send the message as the body, Content-Type: message/rfc822."})
        mailbox = None
        address = request.query_params.get("mailbox", "").strip().lower()
        if address:
            mailbox = Mailbox.objects.filter(address=address).first()
            if mailbox is None:
                raise ValidationError({"mailbox": f"No mailbox {address}."})
        recipient = request.query_params.get("recipient", "").strip()
        row = inbound.store(raw, source="api", mailbox=mailbox, envelope=[recipient] if recipient else [])
        created = row.state == "received"
        row = inbound.process(row.pk, raw=raw)
        return Response(
            {
                "inbound_email": row.pk,
                "state": row.state,
                "reason": row.reason,
                "message": row.message_id,
                "ticket": row.ticket_id,
                "created": created,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
