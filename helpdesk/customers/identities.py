"""Normalising contact details, so one person's address or number is one Identity."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.conf import settings
from email_validator import EmailNotValidError, validate_email

from helpdesk.customers.models import IdentityKind


class InvalidIdentity(ValueError):
    """A contact detail that cannot be normalised (not an email, not a phone number)."""


def normalise_email(value: str) -> str:
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidIdentity(f"not a valid email address: {value!r}") from exc
    # Mailboxes are case-insensitive in practice; domains always are.
    return result.normalized.lower()


def normalise_phone(value: str, region: str | None = None) -> str:
    region = region or settings.DEFAULT_PHONE_REGION
    raw = value.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentity(f"not a valid phone number: {value!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentity(f"not a possible phone number: {value!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_handle(value: str) -> str:
    cleaned = unicodedata.normalize("NFKC", value).strip()
    if not cleaned or len(cleaned) > 255:
        raise InvalidIdentity("a handle must be 1 to 255 characters")
    return cleaned


def normalise_loyalty_card(value: str) -> str:
    cleaned = re.sub(r"[\s-]", "", value).upper()
    if not cleaned or len(cleaned) > 64:
        raise InvalidIdentity("a loyalty card number must be 1 to 64 characters")
    return cleaned


_NORMALISERS = {
    IdentityKind.EMAIL: normalise_email,
    IdentityKind.PHONE: normalise_phone,
    IdentityKind.LOYALTY_CARD: normalise_loyalty_card,
}


def normalise(kind: str, value: str) -> str:
    return _NORMALISERS.get(kind, normalise_handle)(value)
