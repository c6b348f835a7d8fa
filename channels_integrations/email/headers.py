"""Threading and loop-prevention headers of outbound mail.

Message-IDs are stored bare in Message.thread_id and .references (`abc@shop.example`),
the way the inbound parser stores them, so a customer's In-Reply-To finds our reply;
they get their angle brackets only in the headers we write.
"""

from __future__ import annotations

from email.utils import make_msgid

from helpdesk.tickets.models import Channel, Direction, Message

# Mail clients and servers choke on endless References; keep the root and the newest.
MAX_REFERENCES = 20

# RFC 3834: answers a person's mail automatically (acknowledgements) ...
AUTO_REPLIED = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
# ... or is generated without any mail to answer (notifications to staff).
AUTO_GENERATED = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def bracketed(message_id: str) -> str:
    """`<id@host>` whatever form it came in (bare, bracketed, with spaces)."""
    value = (message_id or "").strip().strip("<>").strip()
    return f"<{value}>" if value else ""


def message_id_forms(message_id: str) -> list[str]:
    """Both spellings a stored thread id may have (other code may store it bare)."""
    value = bracketed(message_id)
    return [value, value[1:-1]] if value else []


def bare(message_id: str) -> str:
    return (message_id or "").strip().strip("<>").strip()


def new_message_id(domain: str) -> str:
    """A fresh id, bare (as stored)."""
    return bare(make_msgid(domain=domain or "localhost"))


def thread_of(message: Message) -> tuple[str, list[str]]:
    """In-Reply-To and References (bare ids) for an outbound message: the ticket's earlier thread.

    The parent is the newest earlier email on the ticket (the customer's latest mail,
    usually); References carry the parent's own References and every earlier Message-ID.
    """
    earlier = list(
        Message.objects.filter(ticket_id=message.ticket_id, channel=Channel.EMAIL)
        .exclude(pk=message.pk)
        .exclude(direction=Direction.NOTE)
        .exclude(thread_id="")
        .filter(sent_at__lte=message.sent_at)
        .order_by("sent_at", "id")
        .values_list("thread_id", "references")
    )
    if not earlier:
        return "", []
    chain: list[str] = []
    parent_id, parent_refs = earlier[-1]
    for value in [*(parent_refs or []), *(thread_id for thread_id, _ in earlier)]:
        value = bare(str(value))
        if value and value not in chain:
            chain.append(value)
    parent = bare(parent_id)
    if parent in chain:
        chain.remove(parent)
    chain.append(parent)
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1):]]
    return parent, chain
