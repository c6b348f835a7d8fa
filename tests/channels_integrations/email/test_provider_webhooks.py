"""Inbound mail from ESPs through anymail's webhooks, in each provider's documented format.

Valid signatures / basic auth store the mail and put it on a ticket; forged ones are
refused and nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.test import Client, TestCase

from channels_integrations.email.models import InboundEmail
from helpdesk.tickets.models import Message
from tests.channels_integrations.email.conftest import ANNA, SUPPORT, mail

pytestmark = pytest.mark.django_db

SIGNING_KEY = "key-mailgun-signing-test"
BASIC = "anymail:s3cr3t-webhook"


@pytest.fixture(autouse=True)
def anymail_secrets(settings, eager_tasks, service_team):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": [BASIC],
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
        "AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": False,
    }


class WebhookClient(Client):
    """Runs the after-commit callbacks of each request (the processing task is queued after
    commit; the test's transaction never commits)."""

    def post(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().post(*args, **kwargs)


def _auth(credentials: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def _mailgun(raw: bytes, *, key: str = SIGNING_KEY, credentials: str = BASIC):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return WebhookClient().post(
        "/email/anymail/mailgun/inbound_mime/",
        {
            "recipient": SUPPORT,
            "sender": ANNA,
            "body-mime": raw.decode(),
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
        },
        **_auth(credentials),
    )


def _sendgrid(raw: bytes, *, credentials: str = BASIC):
    """SendGrid Inbound Parse with "POST the raw, full MIME message" on."""
    return WebhookClient().post(
        "/email/anymail/sendgrid/inbound/",
        {
            "email": raw.decode(),
            "envelope": json.dumps({"to": [SUPPORT], "from": ANNA}),
            "charsets": json.dumps({"to": "UTF-8", "subject": "UTF-8", "from": "UTF-8"}),
            "dkim": "{@example.nl : pass}",
            "SPF": "pass",
            "spam_score": "0.1",
        },
        **_auth(credentials),
    )


def _postmark(raw: bytes, *, credentials: str = BASIC, path: str = "/email/anymail/postmark/inbound/"):
    payload = {
        "FromFull": {"Email": ANNA, "Name": "Anna de Boer"},
        "ToFull": [{"Email": SUPPORT, "Name": ""}],
        "OriginalRecipient": SUPPORT,
        "Subject": "Mijn jas is te klein",
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "Headers": [{"Name": "Return-Path", "Value": f"<{ANNA}>"}],
        "RawEmail": raw.decode(),
    }
    return WebhookClient().post(path, json.dumps(payload), content_type="application/json",
                                **_auth(credentials))


def _postmark_parsed(raw: bytes, *, credentials: str = BASIC):
    """Postmark without "include raw email": the parsed JSON fields only."""
    payload = {
        "FromFull": {"Email": ANNA, "Name": "Anna de Boer"},
        "ToFull": [{"Email": SUPPORT, "Name": ""}],
        "OriginalRecipient": SUPPORT,
        "Subject": "Mijn jas is te klein",
        "MessageID": "22c74902-a0c1-4511-804f-341342852c91",
        "Date": "Mon, 2 Nov 2026 10:00:00 +0100",
        "TextBody": "Kan ik mijn jas ruilen voor een maat groter?",
        "HtmlBody": "",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{ANNA}>"},
            {"Name": "Message-ID", "Value": "<pm-parsed@mail.example.nl>"},
        ],
        "Attachments": [],
    }
    return WebhookClient().post(
        "/email/anymail/postmark/inbound/",
        json.dumps(payload),
        content_type="application/json",
        **_auth(credentials),
    )


def _ses(raw: bytes, *, credentials: str = BASIC):
    ses_event = {
        "notificationType": "Received",
        "mail": {
            "timestamp": "2026-11-02T09:00:00.000Z",
            "source": ANNA,
            "messageId": "ses-1",
            "destination": [SUPPORT],
            "commonHeaders": {"from": [ANNA], "to": [SUPPORT]},
        },
        "receipt": {
            "recipients": [SUPPORT],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "action": {
                "type": "SNS",
                "topicArn": "arn:aws:sns:eu-west-1:123456789012:inbound",
                "encoding": "BASE64",
            },
        },
        "content": base64.b64encode(raw).decode(),
    }
    sns = {
        "Type": "Notification",
        "MessageId": "8a9d6e2c-0000-0000-0000-000000000001",
        "TopicArn": "arn:aws:sns:eu-west-1:123456789012:inbound",
        "Subject": "Amazon SES Email Receipt",
        "Message": json.dumps(ses_event),
        "Timestamp": "2026-11-02T09:00:01.000Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLE",
        "SigningCertURL": "https://sns.example/cert.pem",
    }
    return WebhookClient().post(
        "/email/anymail/amazon_ses/inbound/",
        json.dumps(sns),
        content_type="text/plain",
        HTTP_X_AMZ_SNS_MESSAGE_TYPE="Notification",
        HTTP_X_AMZ_SNS_MESSAGE_ID=sns["MessageId"],
        **_auth(credentials),
    )


PROVIDERS = {"mailgun": _mailgun, "sendgrid": _sendgrid, "postmark": _postmark, "ses": _ses}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_signed_inbound_webhook_puts_the_mail_on_a_ticket(provider):
    raw = mail(message_id=f"<{provider}-1@mail.example.nl>")

    response = PROVIDERS[provider](raw)

    assert response.status_code == 200, response.content
    message = Message.objects.get()
    assert (message.sender, message.account, message.thread_id) == (
        ANNA,
        SUPPORT,
        f"{provider}-1@mail.example.nl",
    )
    assert message.text == "Kan ik mijn jas ruilen voor een maat groter?"
    assert InboundEmail.objects.get().state == "ingested"


def test_postmark_without_the_raw_email_works_too():
    assert _postmark_parsed(b"").status_code == 200
    message = Message.objects.get()
    assert (message.sender, message.thread_id) == (ANNA, "pm-parsed@mail.example.nl")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_forged_inbound_webhook_is_refused_and_nothing_is_stored(provider):
    raw = mail()
    if provider == "mailgun":
        response = _mailgun(raw, key="key-guessed")
    else:
        response = PROVIDERS[provider](raw, credentials="anymail:guessed")

    assert response.status_code == 400
    assert not InboundEmail.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("provider", ["sendgrid", "postmark", "ses"])
def test_without_a_webhook_secret_basic_auth_providers_are_refused(provider, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [], "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}

    response = PROVIDERS[provider](mail(), credentials="anyone:anything")

    assert response.status_code == 403
    assert not InboundEmail.objects.exists()


def test_a_redelivered_webhook_is_stored_once():
    raw = mail(message_id="<again@mail.example.nl>")
    assert _sendgrid(raw).status_code == 200
    assert _sendgrid(raw).status_code == 200
    assert Message.objects.count() == 1 and InboundEmail.objects.count() == 1


def test_the_api_path_of_a_provider_webhook_works_like_anymails_own():
    """API.md's /api/v1/inbound/<provider>/ is the same view, with the same checks."""
    forged = _postmark(mail(), credentials="anymail:guessed", path="/api/v1/inbound/postmark/")
    assert forged.status_code in (400, 401, 403)
    assert not Message.objects.exists()
    assert _postmark(mail(), path="/api/v1/inbound/postmark/").status_code == 200
    assert Message.objects.get().sender == ANNA
