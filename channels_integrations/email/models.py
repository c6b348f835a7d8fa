"""Mailboxes, quarantined mail and other state of the email channel."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from channels_integrations.email.deliverability import EmailAddressStatus  # noqa: F401,E402
from channels_integrations.email.secrets import decrypt, encrypt


class ImapSecurity(models.TextChoices):
    SSL = "ssl", "TLS from the start (port 993)"
    STARTTLS = "starttls", "STARTTLS (port 143)"
    NONE = "none", "None (loopback and tests only)"


class AfterProcessing(models.TextChoices):
    FLAG = "flag", "Mark as seen"
    MOVE = "move", "Move to a folder"


class Mailbox(models.Model):
    """One support address: where replies come from and, optionally, an IMAP inbox we poll.

    Mailboxes fed by an ESP webhook or an MTA pipe have no IMAP host; they still name
    the address, the display name and the team of the mail that arrives for them.
    """

    name = models.CharField(max_length=120, blank=True, help_text="Display name on outgoing mail.")
    address = models.EmailField(unique=True, help_text="The support address (replies go from here).")
    team = models.ForeignKey(
        "agents.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailboxes",
        help_text="New tickets from this mailbox go to this team.",
    )
    auto_acknowledge = models.BooleanField(
        default=False, help_text="Send an automatic acknowledgement when a new ticket opens."
    )
    # IMAP polling: on when a host is set and `poll` is true.
    poll = models.BooleanField(default=True)
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(max_length=8, choices=ImapSecurity.choices, default=ImapSecurity.SSL)
    imap_user = models.CharField(max_length=255, blank=True)
    imap_password_env = models.CharField(
        max_length=120,
        blank=True,
        help_text="Name of the environment variable holding the password (preferred).",
    )
    imap_password_encrypted = models.TextField(
        blank=True, help_text="The password, encrypted with EMAIL_SECRETS_KEY (when no variable is named)."
    )
    imap_folder = models.CharField(max_length=255, default="INBOX")
    after_processing = models.CharField(
        max_length=8, choices=AfterProcessing.choices, default=AfterProcessing.FLAG
    )
    processed_folder = models.CharField(max_length=255, blank=True, default="Processed")
    # Where polling stands: UIDs are only meaningful within one UIDVALIDITY.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True, help_text="Backoff after failures.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "email_channel"
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)

    @property
    def polls_imap(self) -> bool:
        return bool(self.poll and self.imap_host)

    def set_imap_password(self, password: str) -> None:
        self.imap_password_encrypted = encrypt(password) if password else ""

    def imap_password(self) -> str:
        """From the named environment variable, else the encrypted field."""
        import os

        if self.imap_password_env:
            value = os.environ.get(self.imap_password_env)
            if value is None:
                raise LookupError(f"environment variable {self.imap_password_env} is not set")
            return value
        return decrypt(self.imap_password_encrypted) if self.imap_password_encrypted else ""


class InboundState(models.TextChoices):
    RECEIVED = "received", "Received, not processed yet"
    INGESTED = "ingested", "On a ticket"
    AUTOMATIC = "automatic", "Automatic mail, ignored"
    BOUNCE = "bounce", "Delivery report (bounce)"
    QUARANTINED = "quarantined", "Quarantined"


class InboundEmail(models.Model):
    """Every mail that reached us, raw (size-capped) for audit, replay and the quarantine.

    One row per (account, external_id): a mail delivered twice, or seen by two pollers,
    is one row. `full_text` keeps the whole body, quoted history included, since the
    ticket's Message carries only the new text.
    """

    account = models.CharField(max_length=254, help_text="The mailbox address it came in on.")
    external_id = models.CharField(max_length=255, help_text="Message-ID, or a hash of the content.")
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=32, help_text="imap, raw API, command, or the ESP's name.")
    envelope = models.JSONField(default=list, blank=True, help_text="Envelope recipients, when known.")
    raw = models.BinaryField(help_text="The message as received, cut at EMAIL_RAW_MAX_BYTES.")
    raw_size = models.PositiveIntegerField(default=0)
    raw_truncated = models.BooleanField(default=False)
    sender = models.CharField(max_length=254, blank=True, db_index=False)
    subject = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=12, choices=InboundState.choices, default=InboundState.RECEIVED)
    reason = models.TextField(blank=True, help_text="Why it was quarantined or ignored.")
    full_text = models.TextField(blank=True)
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "email_channel"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="inbound_email_once"),
        ]
        indexes = [
            models.Index(fields=["sender", "received_at"], name="inbound_email_sender_rate"),
            models.Index(fields=["state", "-received_at"], name="inbound_email_state"),
        ]

    def __str__(self) -> str:
        return f"{self.sender or '?'}: {self.subject or '(no subject)'}"


class QuarantinedEmail(InboundEmail):
    class Meta:
        proxy = True
        app_label = "email_channel"
        verbose_name = "quarantined email"


class IgnoredAutomaticEmail(InboundEmail):
    class Meta:
        proxy = True
        app_label = "email_channel"
        verbose_name = "ignored automatic email"
        verbose_name_plural = "ignored automatic emails"
