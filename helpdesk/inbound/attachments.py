"""Storing inbound attachments safely: sizes capped, names cleaned, types checked."""

from __future__ import annotations

import html as html_lib
import mimetypes
import re

import filetype
from django.conf import settings
from django.core.files.base import ContentFile

from helpdesk.inbound.sanitise import safe_filename
from helpdesk.inbound.types import InboundAttachment
from helpdesk.tickets.models import Attachment, Message

# Served to agents' browsers: never as something the browser would run.
_ACTIVE_TYPES = {"text/html", "application/xhtml+xml", "image/svg+xml", "application/javascript",
                 "text/javascript", "application/x-msdownload"}


# Sniffed programs are stored as opaque bytes whatever they claim to be.
_PROGRAM_TYPES = {"application/x-msdownload", "application/x-executable", "application/x-elf",
                  "application/x-mach-binary", "application/x-sharedlib",
                  "application/vnd.microsoft.portable-executable"}
_CID_SRC = re.compile(r'(\ssrc=)"cid:([^"]+)"', re.I)


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
    """The declared type unless the bytes say otherwise; never one a browser would run."""
    declared = (item.content_type or "").split(";")[0].strip().lower()
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    sniffed = filetype.guess_mime(item.content[:8192]) if item.content else None
    chosen = sniffed or declared or guessed
    if {chosen, guessed, declared} & _ACTIVE_TYPES or (sniffed or "") in _PROGRAM_TYPES:
        return "application/octet-stream"
    return chosen


def store_attachments(message: Message, attachments: tuple[InboundAttachment, ...]) -> list[Attachment]:
    rows = []
    for item in attachments:
        name = safe_filename(item.filename, item.content_type)
        row = Attachment(message=message, filename=name, content_type=_content_type(item, name),
                         size=len(item.content))
        row.file.save(name, ContentFile(item.content), save=False)
        row.content_id = item.content_id  # not stored: only for inline_images_point_at
        rows.append(row)
    Attachment.objects.bulk_create(rows)
    return rows


def inline_images_point_at(message: Message, stored: list[Attachment]) -> None:
    """`<img src="cid:…">` in the (already sanitised) HTML -> the stored image's URL.

    Only images we stored and typed as images are linked; other cid: references stay
    dead. The URL is our own storage's, so nothing is fetched from the sender.
    """
    urls = {
        row.content_id.lower(): row.file.url
        for row in stored
        if getattr(row, "content_id", "") and row.content_type.startswith("image/")
    }

    def point(match: re.Match) -> str:
        url = urls.get(html_lib.unescape(match.group(2)).strip().lower())
        return f'{match.group(1)}"{html_lib.escape(url)}"' if url else match.group(0)

    html = _CID_SRC.sub(point, message.html)
    if html != message.html:
        message.html = html
        message.save(update_fields=["html"])
