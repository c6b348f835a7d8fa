"""`python manage.py ingest_email PATH...`: feed raw mail into the inbound path.

For MTA pipes (`| manage.py ingest_email -`) and imports. A PATH is a message file,
an mbox file, a maildir (its new/ and cur/ are read) or a folder of message files;
`-` reads one message from stdin. Every message goes through the same store-and-process
path as IMAP and webhooks, so re-running an import stores nothing twice.
"""

from __future__ import annotations

import json
import mailbox as mailboxes
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from channels_integrations.email import inbound
from channels_integrations.email.models import Mailbox


class Command(BaseCommand):
    help = "Ingest raw email messages from files, mbox files, maildirs or stdin (-)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="message file, mbox, maildir, folder, or - for stdin")
        parser.add_argument("--mailbox", help="the support address the mail was delivered to")
        parser.add_argument("--recipient", help="envelope recipient (e.g. from the MTA's $RECIPIENT)")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, **options) -> None:
        box = None
        if options["mailbox"]:
            box = Mailbox.objects.filter(address=options["mailbox"].strip().lower()).first()
            if box is None:
                raise CommandError(f"no mailbox {options['mailbox']}")
        envelope = [options["recipient"]] if options["recipient"] else []
        states: Counter[str] = Counter()
        for name, raw in self._messages(options["paths"]):
            row = inbound.receive(raw, source="command", mailbox=box, envelope=envelope)
            states[row.state] += 1
            if row.state == "quarantined":
                self.stderr.write(f"{name}: quarantined (#{row.pk}): {row.reason}")
        if options["json"]:
            self.stdout.write(json.dumps({"messages": sum(states.values()), **states}))
        else:
            summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
            self.stdout.write(f"{sum(states.values())} messages: {summary or 'none'}")

    def _messages(self, paths: list[str]) -> Iterator[tuple[str, bytes]]:
        for path in paths:
            if path == "-":
                yield "stdin", sys.stdin.buffer.read()
                continue
            target = Path(path)
            if not target.exists():
                raise CommandError(f"{path}: no such file or folder")
            if target.is_dir():
                yield from _folder(target)
            elif _is_mbox(target):
                for index, message in enumerate(mboxes_of(target)):
                    yield f"{path}#{index + 1}", message
            else:
                yield path, target.read_bytes()


def _folder(folder: Path) -> Iterator[tuple[str, bytes]]:
    is_maildir = (folder / "cur").is_dir() or (folder / "new").is_dir()
    parts = [folder / "new", folder / "cur"] if is_maildir else [folder]
    for part in parts:
        if not part.is_dir():
            continue
        for file in sorted(part.iterdir()):
            if file.is_file() and not file.name.startswith("."):
                yield str(file), file.read_bytes()


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def mboxes_of(path: Path) -> Iterator[bytes]:
    box = mailboxes.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)
    finally:
        box.close()
