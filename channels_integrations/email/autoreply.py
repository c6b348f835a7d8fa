"""Is this mail written by a machine? Out-of-office answers, auto-responders, lists.

Such mail never opens a ticket and never triggers our own automatic mail, which is
how two auto-responders end up mailing each other forever. The headers decide first
(RFC 3834 Auto-Submitted and the de-facto ones), then typical subjects in English,
Dutch, German and French for responders that set no header at all.
"""

from __future__ import annotations

import re

from channels_integrations.email.parsing import ParsedEmail

_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(?:"
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|"
    r"afwezig|afwezigheid|automatisch antwoord|automatisch bericht|niet aanwezig|"
    r"abwesenheit|automatische antwort|abwesend|"
    r"réponse automatique|absence|"
    r"vacation(?: reply)?|away from (?:the|my) office"
    r")\b",
    re.I,
)
_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.I)


def automatic_reason(mail: ParsedEmail) -> str:
    """Why this mail counts as automatic, or "" for a person's mail."""
    auto_submitted = mail.header("Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autoresponder"):
        if mail.header(name):
            return f"{name} header"
    precedence = mail.header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if mail.header("List-Id"):
        return "mailing list (List-Id)"
    if _SYSTEM_SENDERS.match(mail.from_address):
        return f"sent by a mail system ({mail.from_address})"
    if _SUBJECT.match(mail.subject):
        return f"automatic subject: {mail.subject[:80]}"
    return ""
