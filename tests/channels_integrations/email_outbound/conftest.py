"""Outbound email fixtures: a real SMTP server on loopback (aiosmtpd), Django's SMTP backend
pointed at it, tasks run eagerly, a mailbox and Anna's email ticket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller

from helpdesk.inbound.pipeline import ingest
from helpdesk.inbound.types import InboundMessage, SenderClaims
from helpdesk.tickets.models import Message, Ticket

MAILBOX = "support@shop.example"
ANNA = "anna@example.nl"
# Stored bare, as the inbound email parser stores Message-IDs; headers carry "<…>".
ANNAS_MESSAGE_ID = "CAF-anna-1@mail.example.nl"


class Mailhost:
    """What the SMTP server accepted, and refusals it was told to give (one per attempt)."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusals: list[str] = []
        self.attempts = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self.attempts += 1
            if self.refusals:
                return self.refusals.pop(0)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def refuse(self, *replies: str) -> None:
        self.refusals.extend(replies)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, (_, rcpts) in zip(self.received, self.envelopes, strict=True) if address in rcpts]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailhost(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    host = Mailhost()
    controller = Controller(host, hostname="127.0.0.1", port=_free_port(), decode_data=False)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Klantenservice <service@shop.example>"
    yield host
    controller.stop()


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the caller (as in the quick-start), retries included."""
    from helpdesk.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@contextmanager
def broker_down() -> Iterator[None]:
    """The Celery broker is unreachable (a closed port on loopback): queueing a task fails.

    Celery caches its broker connection pools, so they are set aside for the duration
    and put back afterwards.
    """
    from helpdesk.celery import app

    keys = ("broker_url", "broker_write_url", "task_always_eager", "task_publish_retry")
    saved, pools = {key: app.conf[key] for key in keys}, (app._pool, app.amqp._producer_pool)
    app.conf.update(broker_url=f"redis://127.0.0.1:{_free_port()}/0", broker_write_url=None,
                    task_always_eager=False, task_publish_retry=False)
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.pool.force_close_all()
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


@pytest.fixture
def mailbox(db):
    from channels_integrations.email.models import Mailbox

    return Mailbox.objects.create(
        address=MAILBOX, name="Regenjassenhuis Klantenservice", auto_acknowledge=True
    )


def customer_mail(
    *, text: str = "Mijn jas is te klein, kan ik ruilen?", subject: str = "Ruilen jas",
    message_id: str = ANNAS_MESSAGE_ID, sender: str = ANNA, account: str = MAILBOX,
) -> Message:
    """Anna's email as the inbound path stores it (through the real ingest())."""
    result = ingest(
        InboundMessage(
            channel="email", account=account, external_id=message_id, thread_id=message_id,
            sender=SenderClaims(email=sender, name="Anna de Boer"), subject=subject, text=text,
        )
    )
    return Message.objects.select_related("ticket").get(pk=result.message_id)


@pytest.fixture
def annas_ticket(mailbox, sanne) -> Ticket:
    ticket = customer_mail().ticket
    Ticket.objects.filter(pk=ticket.pk).update(owner=sanne)
    ticket.refresh_from_db()
    return ticket
