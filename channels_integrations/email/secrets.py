"""Mailbox passwords at rest: encrypted with a key from the settings, never stored plain.

The key is EMAIL_SECRETS_KEY, or one derived from SECRET_KEY when that is empty; rotating
SECRET_KEY without setting EMAIL_SECRETS_KEY therefore means re-entering the passwords
(the mailbox then shows a clear error instead of logging in with garbage).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    secret = settings.EMAIL_SECRETS_KEY or f"helpdesk.email.secrets:{settings.SECRET_KEY}"
    key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
    return Fernet(key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise LookupError("the stored password cannot be decrypted (was the key changed?)") from exc
