"""Replies sent through an email provider (anymail backend, provider stood in for by a local
HTTP server) move on when the provider's signed tracking webhook says so; a forged webhook
is refused and changes nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from channels_integrations.email.deliverability import is_suppressed
from helpdesk.tickets.models import DeliveryStatus, Message
from tests.channels_integrations.email_outbound.conftest import ANNA
from tests.channels_integrations.email_outbound.test_agent_reply_by_smtp import reply

pytestmark = pytest.mark.usefixtures("eager_tasks")

WEBHOOK_SECRET = "hooks:s3cret-hooks"
MAILGUN_SIGNING_KEY = "key-mailgun-signing-test"
MAILGUN_ID = "<20261124095900.1.ABCDEF@mg.shop.example>"
POSTMARK_ID = "b7bc2f4a-e38e-4336-af7d-e6c392c2f817"


class ProviderApi:
    """The provider's send API on loopback: records requests, answers with a documented reply."""

    def __init__(self, answer: dict):
        self.requests: list[tuple[str, bytes]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                api.requests.append((self.path, body))
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mailgun(settings):
    api = ProviderApi({"id": MAILGUN_ID, "message": "Queued. Thank you."})
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {
        "MAILGUN_API_KEY": "key-test", "MAILGUN_API_URL": f"{api.url}/v3",
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY, "WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    yield api
    api.close()


@pytest.fixture
def postmark(settings):
    api = ProviderApi({"To": ANNA, "SubmittedAt": "2026-11-24T09:59:00Z", "MessageID": POSTMARK_ID,
                       "ErrorCode": 0, "Message": "OK"})
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "server-token-test", "POSTMARK_API_URL": f"{api.url}/",
                        "WEBHOOK_SECRET": WEBHOOK_SECRET}
    yield api
    api.close()


def basic_auth(credentials: str = WEBHOOK_SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def mailgun_event(event_data: dict, *, key: str = MAILGUN_SIGNING_KEY) -> str:
    """A Mailgun webhook body in its documented JSON form, signed with `key`."""
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps({"signature": {"timestamp": timestamp, "token": token, "signature": signature},
                       "event-data": event_data})


def mailgun_data(event: str, **extra) -> dict:
    return {
        "event": event, "timestamp": time.time(), "id": "CPgfbmQMTCKtHW6uIWtuVe", "recipient": ANNA,
        "message": {"headers": {"message-id": MAILGUN_ID.strip("<>"), "to": ANNA,
                                "from": "support@shop.example", "subject": "Re: Ruilen jas"}},
        **extra,
    }


def sent_reply(api_as, sanne, ticket, capture) -> Message:
    message = reply(api_as, sanne, ticket, "Uw jas is onderweg.", capture)
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT
    return message


def test_mailgun_delivered_and_bounced_webhooks_move_the_reply(
    api_as, sanne, annas_ticket, mailgun, client, django_capture_on_commit_callbacks
):
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    [(path, _)] = mailgun.requests
    assert path.endswith("/messages") and message.provider_message_id == MAILGUN_ID

    response = client.post("/email/anymail/mailgun/tracking/", mailgun_event(mailgun_data("delivered")),
                           content_type="application/json", **basic_auth())
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.DELIVERED

    bounced = mailgun_data("failed", severity="permanent", reason="bounce",
                           **{"delivery-status": {"code": 550, "message": "5.1.1 User unknown",
                                                  "description": "mailbox does not exist"}})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/email/anymail/mailgun/tracking/", mailgun_event(bounced),
                               content_type="application/json", **basic_auth())
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.BOUNCED
    assert "User unknown" in message.delivery_error
    assert is_suppressed(ANNA)


def test_a_forged_mailgun_webhook_is_refused_and_changes_nothing(
    api_as, sanne, annas_ticket, mailgun, client, django_capture_on_commit_callbacks
):
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    forged_signature = mailgun_event(mailgun_data("delivered"), key="not-the-signing-key")
    signed = mailgun_event(mailgun_data("delivered"))

    refused = [
        client.post("/email/anymail/mailgun/tracking/", forged_signature,
                    content_type="application/json", **basic_auth()),
        client.post("/email/anymail/mailgun/tracking/", signed,
                    content_type="application/json", **basic_auth("hooks:guessed")),
        client.post("/email/anymail/mailgun/tracking/", signed, content_type="application/json"),
    ]

    assert [r.status_code for r in refused] == [400, 400, 400]
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT


def postmark_bounce() -> dict:
    return {
        "RecordType": "Bounce", "ID": 4323372036854775807, "Type": "HardBounce", "TypeCode": 1,
        "Name": "Hard bounce", "MessageID": POSTMARK_ID, "ServerID": 23, "MessageStream": "outbound",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": ANNA, "From": "support@shop.example", "BouncedAt": "2026-11-24T10:00:00Z",
        "DumpAvailable": False, "Inactive": True, "CanActivate": True, "Subject": "Re: Ruilen jas",
    }


def test_postmark_delivery_and_bounce_webhooks_move_the_reply(
    api_as, sanne, annas_ticket, postmark, client, django_capture_on_commit_callbacks
):
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    [(path, body)] = postmark.requests
    assert path == "/email" and json.loads(body)["To"] == ANNA
    assert message.provider_message_id == POSTMARK_ID

    delivery = {"RecordType": "Delivery", "ServerID": 23, "MessageStream": "outbound",
                "MessageID": POSTMARK_ID, "Recipient": ANNA, "DeliveredAt": "2026-11-24T10:00:00Z",
                "Details": "Test delivery", "Tag": ""}
    response = client.post("/email/anymail/postmark/tracking/", json.dumps(delivery),
                           content_type="application/json", **basic_auth())
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.DELIVERED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/email/anymail/postmark/tracking/", json.dumps(postmark_bounce()),
                               content_type="application/json", **basic_auth())
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.BOUNCED
    assert "does not exist" in message.delivery_error
    assert is_suppressed(ANNA)


def test_a_forged_postmark_webhook_is_refused_and_changes_nothing(
    api_as, sanne, annas_ticket, postmark, client, django_capture_on_commit_callbacks
):
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    for headers in (basic_auth("hooks:guessed"), {}):
        response = client.post("/email/anymail/postmark/tracking/", json.dumps(postmark_bounce()),
                               content_type="application/json", **headers)
        assert response.status_code == 400
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT
    assert not is_suppressed(ANNA)


def test_a_spam_complaint_stops_automatic_mail_to_the_address(
    api_as, sanne, annas_ticket, postmark, client, django_capture_on_commit_callbacks
):
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    complaint = {"RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint", "TypeCode": 512,
                 "MessageID": POSTMARK_ID, "Email": ANNA, "From": "support@shop.example",
                 "BouncedAt": "2026-11-24T10:00:00Z", "Description": "The subscriber explicitly marked this "
                 "message as spam.", "Details": "", "Subject": "Re: Ruilen jas"}
    response = client.post("/email/anymail/postmark/tracking/", json.dumps(complaint),
                           content_type="application/json", **basic_auth())
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.COMPLAINED
    assert is_suppressed(ANNA)


def test_without_a_webhook_secret_an_unsigned_tracking_webhook_is_refused_and_changes_nothing(
    api_as, sanne, annas_ticket, postmark, client, settings, django_capture_on_commit_callbacks
):
    sanne.email = "sanne@shop.example"
    sanne.save()
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    # The default: no ANYMAIL_WEBHOOK_SECRET, so anymail itself checks nothing for Postmark.
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": []}

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post("/email/anymail/postmark/tracking/", json.dumps(postmark_bounce()),
                               content_type="application/json")

    assert response.status_code == 403
    assert queued == []  # no owner alert
    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_error) == (DeliveryStatus.SENT, "")
    assert not is_suppressed(ANNA)
    assert len(postmark.requests) == 1  # only the reply itself ever reached the provider


def test_without_a_webhook_secret_a_signed_mailgun_webhook_still_counts(
    api_as, sanne, annas_ticket, mailgun, client, settings, django_capture_on_commit_callbacks
):
    message = sent_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": []}

    response = client.post("/email/anymail/mailgun/tracking/", mailgun_event(mailgun_data("delivered")),
                           content_type="application/json")

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.DELIVERED


def test_a_bounce_that_arrives_before_the_send_call_returned_is_matched_on_our_message_id(
    api_as, sanne, annas_ticket, mailgun, client, django_capture_on_commit_callbacks
):
    from channels_integrations.registry import adapter_for
    from helpdesk.tickets import delivery
    from tests.channels_integrations.email_outbound.test_smtp_refusals import queued_reply

    message = queued_reply(api_as, sanne, annas_ticket, django_capture_on_commit_callbacks)
    # The delivery task has claimed the reply (its Message-ID is fixed) and is handing it to
    # Mailgun; the provider's id is not stored yet when Mailgun already reports the bounce,
    # naming the mail by the Message-ID header we wrote.
    claim = delivery.message_claim(message_id=message.pk, adapter=adapter_for("email"))
    our_id = claim.message.thread_id
    bounced = mailgun_data("failed", severity="permanent", reason="bounce",
                           **{"delivery-status": {"code": 550, "message": "5.1.1 User unknown"}})
    bounced["message"]["headers"]["message-id"] = our_id  # bare; anymail adds the brackets

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/email/anymail/mailgun/tracking/", mailgun_event(bounced),
                               content_type="application/json", **basic_auth())

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.BOUNCED and "User unknown" in message.delivery_error
    assert is_suppressed(ANNA)
    # The send call returns afterwards: the reply stays bounced.
    delivery.message_mark_sent(message_id=message.pk, provider_message_id=f"<{our_id}>")
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.BOUNCED
