"""Fold quoted history and signatures away from the new text of a reply.

Agents read what the customer wrote now; the whole mail stays one click away. The
attribution lines mail clients put above quoted history are cut here first (Gmail,
Apple Mail, Outlook in English, Dutch and German), then mail-parser-reply removes
what is left (">"-quoted blocks, signatures). A fold that would leave nothing keeps
the whole text: a forward or a mail that is only a quote is not emptied.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache

from mailparser_reply import EmailReplyParser

_MARKERS = [
    # Gmail / Apple Mail: "On Mon, 3 Nov 2026 at 10:00, Shop <a@b> wrote:", possibly
    # wrapped over two lines, possibly itself quoted ("> On ... wrote:").
    r"^[ >]*On\b[^\n]{0,300}?(\n[^\n]{0,200}?)?\bwrote:[ \t]*$",
    # Dutch: "Op ma 3 nov. 2026 om 10:00 schreef Shop <a@b>:"
    r"^[ >]*Op\b[^\n]{0,300}?(\n[^\n]{0,200}?)?\bschreef\b[^\n]{0,200}:[ \t]*$",
    # German: "Am 03.11.2026 um 10:00 schrieb Shop <a@b>:"
    r"^[ >]*Am\b[^\n]{0,300}?(\n[^\n]{0,200}?)?\bschrieb\b[^\n]{0,200}:[ \t]*$",
    # Outlook and others: "-----Original Message-----" / "----- Oorspronkelijk bericht -----"
    r"^[ >]*-{2,}\s*(Original Message|Oorspronkelijk bericht|Origineel bericht|"
    r"Originele bericht|Ursprüngliche Nachricht|Forwarded message|Doorgestuurd bericht)\s*-{2,}",
    # Outlook header block without a rule: "From: …" followed by "Sent:"/"Date:" lines.
    r"^[ >*]*(From|Van|Von|De)\s*:[^\n]*\n([ >*]*[\w -]+\s*:[^\n]*\n){0,3}?"
    r"[ >*]*(Sent|Date|Verzonden|Datum|Gesendet|Envoyé)\s*:",
    # Underscore rule Outlook puts above the header block.
    r"^_{20,}\s*$",
    # The signature separator ("-- ", often sent without its space).
    r"^-- ?$",
]
_MARKER = re.compile("|".join(f"(?:{m})" for m in _MARKERS), re.M | re.I)


@cache
def _parser() -> EmailReplyParser:
    return EmailReplyParser(languages=["en", "nl", "de", "fr"])


def new_text(full: str) -> str:
    """The part of a reply above the quoted history and signature."""
    text = (full or "").replace("\r\n", "\n").strip("\n")
    if not text:
        return ""
    match = _MARKER.search(text)
    cut = text[: match.start()].rstrip() if match else text
    if cut:
        with contextlib.suppress(Exception):  # a heuristic library: never lose a mail to it
            cut = _parser().parse_reply(text=cut) or cut
    cut = cut.strip()
    return cut if cut else text.strip()


def has_quote(full: str, new: str) -> bool:
    return len((full or "").strip()) > len((new or "").strip())
