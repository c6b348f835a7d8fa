"""Inbound email fixtures: a private Dovecot IMAP server, mailboxes, mail builders."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from django.utils import timezone
from imapclient import IMAPClient

SUPPORT = "support@shop.example"
ANNA = "anna@example.nl"
USERS = {SUPPORT: "secret", "orders@shop.example": "secret2"}

DOVECOT_CONF = """protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/run
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {dir}/users
}}
mail_location = maildir:{dir}/mail/%u
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
default_login_user = nobody
default_internal_user = nobody
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port, self.host = folder, port, "127.0.0.1"

    def client(self, user: str = SUPPORT) -> IMAPClient:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, USERS[user])
        return client

    def deliver(self, raw: bytes, *, user: str = SUPPORT, folder: str = "INBOX") -> None:
        """Put a message in with IMAP APPEND, so the server assigns its UID as on delivery."""
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw)

    def flags(self, user: str = SUPPORT, folder: str = "INBOX") -> dict[int, tuple]:
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            return {
                uid: data[b"FLAGS"] for uid, data in client.fetch(client.search("ALL"), ["FLAGS"]).items()
            }

    def count(self, user: str = SUPPORT, folder: str = "INBOX") -> int:
        with self.client(user) as client:
            if not client.folder_exists(folder):
                return 0
            return client.select_folder(folder, readonly=True)[b"EXISTS"]


@pytest.fixture(scope="session")
def dovecot_server():
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(binary).exists():
        pytest.fail("Dovecot is not installed (apt-get install -y dovecot-imapd)")
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
    folder.chmod(0o755)
    (folder / "mail").mkdir()
    (folder / "run").mkdir()
    uid = int(subprocess.check_output(["id", "-u", "nobody"]))
    gid = int(subprocess.check_output(["id", "-g", "nobody"]))
    os.chown(folder / "mail", uid, gid)
    (folder / "users").write_text(
        "".join(
            f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{folder}/mail/%u\n" for user, password in USERS.items()
        )
    )
    port = _free_port()
    (folder / "dovecot.conf").write_text(DOVECOT_CONF.format(dir=folder, port=port))
    subprocess.run([binary, "-c", str(folder / "dovecot.conf")], check=True)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError as exc:
            if time.monotonic() > deadline:
                log = (folder / "dovecot.log").read_text()[-2000:]
                raise RuntimeError("Dovecot did not start: " + log) from exc
            time.sleep(0.1)
    yield Dovecot(folder, port)
    pid_file = folder / "run" / "master.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server):
    """The server with every user's mail removed before the test."""
    for user in USERS:
        with dovecot_server.client(user) as client:
            for _flags, _delim, name in client.list_folders():
                if name != "INBOX":
                    client.delete_folder(name)
            client.select_folder("INBOX")
            messages = client.search("ALL")
            if messages:
                client.delete_messages(messages)
                client.expunge()
    return dovecot_server


@pytest.fixture
def eager_tasks():
    from helpdesk.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def imap_mailbox(db, dovecot, service_team, monkeypatch):
    from channels_integrations.email.models import ImapSecurity, Mailbox

    monkeypatch.setenv("HELPDESK_TEST_IMAP_PASSWORD", USERS[SUPPORT])
    return Mailbox.objects.create(
        address=SUPPORT,
        name="Regenjassenhuis Klantenservice",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security=ImapSecurity.NONE,
        imap_user=SUPPORT,
        imap_password_env="HELPDESK_TEST_IMAP_PASSWORD",
    )


def mail(
    *,
    sender: str = f"Anna de Boer <{ANNA}>",
    to: str = SUPPORT,
    subject: str = "Mijn jas is te klein",
    text: str = "Kan ik mijn jas ruilen voor een maat groter?",
    html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """A well-formed customer mail (EmailMessage builds the MIME properly)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.nl")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = references or in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


@pytest.fixture
def client_web():
    from django.test import Client

    def signed_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in
