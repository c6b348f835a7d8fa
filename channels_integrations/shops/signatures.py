"""The webhook signature both Shopify and WooCommerce use: base64 of HMAC-SHA256 over the raw body."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(body: bytes, signature: str, secret: str) -> bool:
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters (a forged header).
    given = signature.strip().encode("utf-8", "surrogateescape")
    return bool(given) and hmac.compare_digest(sign(body, secret).encode(), given)
