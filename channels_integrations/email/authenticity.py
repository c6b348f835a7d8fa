"""Mail that claims to come from our own staff.

Anyone can put `From: sanne@shop.example` on a mail. Relayed into a ticket, it would
look like a colleague's instruction ("refund this customer"). Mail from a staff domain
is accepted only when our own receiving server vouches for it: an
Authentication-Results header (RFC 8601) whose authserv-id is one of
EMAIL_TRUSTED_AUTHSERV_IDS and that says dmarc=pass, or dkim=pass for that domain.
Receiving servers remove look-alike headers bearing their own authserv-id, so the
sender cannot forge this one.
"""

from __future__ import annotations

import re

from django.conf import settings

from channels_integrations.email.parsing import ParsedEmail


def staff_spoof_reason(mail: ParsedEmail) -> str:
    """Why this mail must be held, or "" when it is not from a staff domain or is vouched for."""
    domain = mail.from_address.rpartition("@")[2]
    if domain not in settings.STAFF_EMAIL_DOMAINS:
        return ""
    if _vouched_for(mail, domain):
        return ""
    return (
        f"claims to come from our staff domain {domain} but our mail server did not "
        "authenticate it (no trusted Authentication-Results with dmarc=pass)"
    )


def _vouched_for(mail: ParsedEmail, domain: str) -> bool:
    trusted = set(settings.EMAIL_TRUSTED_AUTHSERV_IDS)
    for value in mail.headers("Authentication-Results"):
        authserv_id = value.split(";", 1)[0].strip().split()[0].lower() if value.strip() else ""
        if authserv_id not in trusted:
            continue
        results = value.lower()
        if re.search(r"\bdmarc=pass\b", results):
            return True
        if re.search(r"\bdkim=pass\b[^;]*header\.d=" + re.escape(domain) + r"\b", results):
            return True
    return False
