"""Making outside HTML and file names safe to store and show."""

from __future__ import annotations

import mimetypes
import re
import unicodedata

import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "font", "center",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"title", "dir", "lang", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "font": {"color"},
}
# No javascript:, data: or other schemes; cid: for inline images of email.
_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}


def _no_remote_images(tag: str, attribute: str, value: str) -> str | None:
    """Images load only from the message itself (cid:): a remote image would tell the
    sender when and where an agent opened the mail, and relative ones hit our own URLs."""
    if tag == "img" and attribute == "src" and not value.strip().lower().startswith("cid:"):
        return None
    return value


def sanitise_html(html: str) -> str:
    """No scripts, styles, event handlers, forms, `javascript:`/`data:` URLs or remote images."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_no_remote_images,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_UNSAFE_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_filename(name: str, content_type: str = "") -> str:
    """No path parts, no control or bidi characters, no leading dots, bounded length."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".")
    if not name:
        extension = mimetypes.guess_extension(content_type or "") or ".bin"
        name = "attachment" + extension
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110] + dot + ext[:9]) if dot and len(ext) < 10 else name[:120]
    return name
