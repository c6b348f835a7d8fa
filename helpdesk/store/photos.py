"""Photos taken at the counter (a damaged item, a receipt): images only, sniffed, bounded."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from helpdesk.inbound.sanitise import safe_filename
from helpdesk.inbound.types import InboundAttachment

# What phones and tablets take photos in. No SVG: it is a document that can run script.
IMAGE_TYPES = {
    "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic",
    "image/avif": "avif", "image/gif": "gif",
}


class PhotoRejected(ValueError):
    pass


def photo_from_upload(upload: UploadedFile) -> InboundAttachment:
    """The upload as an attachment, typed by its content (never by its name or header)."""
    name = safe_filename(upload.name or "photo")
    if upload.size is not None and upload.size > settings.STORE_PHOTO_MAX_BYTES:
        raise PhotoRejected(
            f"{name} is {filesizeformat(upload.size)}; a photo may be at most "
            f"{filesizeformat(settings.STORE_PHOTO_MAX_BYTES)}."
        )
    content = upload.read(settings.STORE_PHOTO_MAX_BYTES + 1)
    if len(content) > settings.STORE_PHOTO_MAX_BYTES:
        raise PhotoRejected(f"{name} is larger than {filesizeformat(settings.STORE_PHOTO_MAX_BYTES)}.")
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise PhotoRejected(f"{name} is not a photo: only JPEG, PNG, WebP, HEIC, AVIF or GIF images.")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return InboundAttachment(filename=f"{stem}.{IMAGE_TYPES[kind.mime]}", content_type=kind.mime,
                             content=content)
