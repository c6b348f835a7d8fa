"""`python -m bench.email`: a maildir of N messages through `manage.py ingest_email`; one JSON document.

Generates a maildir of customer mail (about 40% new conversations, the rest replies
with In-Reply-To/References and quoted history in Gmail, Outlook, Apple Mail and Dutch
styles, some with a "[#ticket]"-less "Re:" subject), ingests it with the real command
against the PostgreSQL database in DATABASE_URL, and checks that every reply landed on
the ticket of its conversation and that no two conversations share a ticket.

Each run uses its own mail domain, so runs never collide and the database may hold
other data. Prints {messages, seconds, messages_per_second, threaded_correctly_share, ...}.
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

QUOTE_STYLES = ("gmail", "outlook", "apple", "dutch")
FIRST_LINES = (
    "Mijn jas is te klein, kan ik hem ruilen voor een maat groter?",
    "Waar blijft mijn bestelling? Het is al een week geleden.",
    "The zipper of my raincoat broke after two weeks.",
    "Kan ik de retour ook in de winkel in Utrecht afgeven?",
    "I was charged twice for order 100234, please refund one.",
)
REPLY_LINES = (
    "Dank je, dat helpt!",
    "Nog een vraag: kan dat ook morgen?",
    "Thanks, that works.",
    "Het pakket is nog steeds niet aangekomen.",
    "Prima, ik stuur hem vandaag terug.",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.email", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000, help="messages in the maildir (default 5000)")
    parser.add_argument("--new-share", type=float, default=0.4, help="share that start a conversation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--maildir", help="write the maildir here (default: a temporary folder)")
    parser.add_argument("--out", help="also write the JSON document to this file")
    args = parser.parse_args(argv)
    if args.messages < 1 or not 0 < args.new_share <= 1:
        parser.error("--messages must be at least 1 and --new-share in (0, 1]")
    return args


def log(text: str) -> None:
    print(f"bench.email: {text}", file=sys.stderr, flush=True)


def quoted(style: str, previous: str, when: str) -> str:
    lines = "\n".join(f"> {line}" for line in previous.splitlines())
    if style == "gmail":
        return f"On {when}, Klantenservice <support@shop.example> wrote:\n{lines}\n"
    if style == "apple":
        return f"> On {when}, Klantenservice <support@shop.example> wrote:\n>\n{lines}\n"
    if style == "dutch":
        return f"Op {when} schreef Klantenservice <support@shop.example>:\n{lines}\n"
    return (
        "-----Original Message-----\nFrom: Klantenservice <support@shop.example>\n"
        f"Sent: {when}\nSubject: RE: vraag\n\n{previous}\n"
    )


def generate(folder: Path, args: argparse.Namespace, domain: str, support: str) -> dict[str, int]:
    """Write the maildir; return {Message-ID: conversation number}."""
    rng = random.Random(args.seed)
    box = mailbox.Maildir(folder, create=True)
    conversations: list[dict] = []
    thread_of: dict[str, int] = {}
    for index in range(args.messages):
        open_ones = [c for c in conversations if c["count"] < 6]
        start = not open_ones or rng.random() < args.new_share
        message = EmailMessage()
        message_id = f"m{index}.{uuid.uuid4().hex[:8]}@{domain}"
        when = format_datetime(datetime.now(UTC))
        if start:
            number = len(conversations)
            text = rng.choice(FIRST_LINES)
            conversation = {
                "number": number,
                "sender": f"klant{number}@{domain}",
                "ids": [message_id],
                "text": text,
                "count": 1,
                "subject": f"Vraag {number}: {text[:30]}",
            }
            conversations.append(conversation)
            message["Subject"] = conversation["subject"]
        else:
            conversation = rng.choice(open_ones)
            text = (
                rng.choice(REPLY_LINES)
                + "\n\n"
                + quoted(rng.choice(QUOTE_STYLES), conversation["text"], when)
            )
            message["Subject"] = "Re: " + conversation["subject"]
            message["In-Reply-To"] = f"<{conversation['ids'][-1]}>"
            message["References"] = " ".join(f"<{i}>" for i in conversation["ids"][-10:])
            conversation["ids"].append(message_id)
            conversation["count"] += 1
            conversation["text"] = text.split("\n\n")[0]
        message["From"] = f"Klant {conversation['number']} <{conversation['sender']}>"
        message["To"] = support
        message["Date"] = when
        message["Message-ID"] = f"<{message_id}>"
        message.set_content(text)
        box.add(bytes(message))
        thread_of[message_id] = conversation["number"]
    box.close()
    # Maildir file names carry no order; the command reads sorted names: number them.
    for position, file in enumerate(sorted((folder / "new").iterdir(), key=lambda f: f.stat().st_mtime_ns)):
        file.rename(file.with_name(f"{position:07d}.bench"))
    return thread_of


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench.email: set DATABASE_URL to a PostgreSQL database", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    from agents.models import Team
    from channels_integrations.email.models import InboundEmail, Mailbox
    from helpdesk.tickets.models import Message

    run = uuid.uuid4().hex[:8]
    domain = f"run{run}.bench.example"
    support = f"support@{domain}"
    Team.objects.get_or_create(name="Bench email", defaults={"channels": ["email"]})
    Mailbox.objects.create(address=support, name="Bench")
    settings.EMAIL_RATE_LIMIT_PER_SENDER = max(settings.EMAIL_RATE_LIMIT_PER_SENDER, 20)

    with tempfile.TemporaryDirectory(prefix="bench-email-") as scratch:
        folder = Path(args.maildir) if args.maildir else Path(scratch) / "Maildir"
        log(f"writing {args.messages} messages to {folder}")
        thread_of = generate(folder, args, domain, support)
        log("ingesting with manage.py ingest_email")
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("ingest_email", str(folder), "--json", stdout=quiet)
        seconds = time.perf_counter() - started

    tickets = dict(
        Message.objects.filter(account=support, thread_id__in=list(thread_of)).values_list(
            "thread_id", "ticket_id"
        )
    )
    ticket_of_thread: dict[int, set[int]] = {}
    for message_id, number in thread_of.items():
        ticket_of_thread.setdefault(number, set()).add(tickets.get(message_id, -1))
    sizes = Counter(thread_of.values())
    owners: dict[int, int] = {}
    correct = 0
    for number, ticket_ids in ticket_of_thread.items():
        # Right: the whole conversation on one ticket, and that ticket holds no other one.
        ticket_id = next(iter(ticket_ids)) if len(ticket_ids) == 1 else None
        if ticket_id not in (None, -1) and owners.setdefault(ticket_id, number) == number:
            correct += sizes[number]
    states = dict(Counter(InboundEmail.objects.filter(account=support).values_list("state", flat=True)))
    result = {
        "messages": args.messages,
        "conversations": len(ticket_of_thread),
        "seconds": round(seconds, 2),
        "messages_per_second": round(args.messages / seconds, 1),
        "threaded_correctly_share": round(correct / args.messages, 4),
        "stored": len(tickets),
        "states": states,
        "database": "postgresql",
    }
    document = json.dumps(result, indent=2)
    print(document)
    if args.out:
        Path(args.out).write_text(document + "\n")
    return 0 if result["threaded_correctly_share"] == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
