"""Storing inbound attachments safely: sizes capped, names cleaned, types checked."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.core.files.base import ContentFile

from helpdesk.inbound.sanitise import safe_filename
from helpdesk.inbound.types import InboundAttachment
from helpdesk.tickets.models import Attachment, Message

# Served to agents' browsers: never as something the browser would run.
_ACTIVE_TYPES = {"text/html", "application/xhtml+xml", "image/svg+xml", "application/javascript",
                 "text/javascript", "application/x-msdownload"}


class AttachmentRejected(ValueError):
    pass


def check_attachments(attachments: tuple[InboundAttachment, ...]) -> None:
    if len(attachments) > settings.MAX_ATTACHMENTS_PER_MESSAGE:
        raise AttachmentRejected(
            f"at most {settings.MAX_ATTACHMENTS_PER_MESSAGE} attachments per message"
        )
    for item in attachments:
        if len(item.content) > settings.MAX_ATTACHMENT_BYTES:
            raise AttachmentRejected(
                f"{safe_filename(item.filename)} is larger than {settings.MAX_ATTACHMENT_BYTES} bytes"
            )


def _content_type(item: InboundAttachment, name: str) -> str:
    declared = (item.content_type or "").split(";")[0].strip().lower()
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    chosen = declared or guessed
    if chosen in _ACTIVE_TYPES or guessed in _ACTIVE_TYPES:
        return "application/octet-stream"
    return chosen


def store_attachments(message: Message, attachments: tuple[InboundAttachment, ...]) -> None:
    rows = []
    for item in attachments:
        name = safe_filename(item.filename, item.content_type)
        row = Attachment(message=message, filename=name, content_type=_content_type(item, name),
                         size=len(item.content))
        row.file.save(name, ContentFile(item.content), save=False)
        rows.append(row)
    Attachment.objects.bulk_create(rows)
