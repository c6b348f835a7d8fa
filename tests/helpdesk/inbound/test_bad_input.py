"""Bad inbound input gets a clear error and loses nothing; outside HTML is made safe."""

from __future__ import annotations

import base64

import pytest

from helpdesk.tickets.models import Attachment, Message

pytestmark = pytest.mark.django_db


def post(api, payload):
    return api.post("/api/v1/inbound/api/", payload, format="json")


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"channel": "pigeon", "from": {"email": "a@example.nl"}, "text": "x"}, "channel"),
        ({"channel": "email", "from": {"email": "not an address"}, "text": "x"}, "sender"),
        ({"channel": "sms", "from": {"phone": "abc"}, "text": "x"}, "sender"),
        ({"channel": "email", "text": "x"}, "from"),
        ({"channel": "email", "from": {"email": "a@example.nl"}}, "text"),
        (
            {"channel": "email", "from": {"email": "a@example.nl"}, "text": "x", "sent_at": "maandag"},
            "sent_at",
        ),
        (
            {
                "channel": "email",
                "from": {"email": "a@example.nl"},
                "text": "x",
                "attachments": [{"filename": "a.txt", "content_base64": "***"}],
            },
            "attachments",
        ),
    ],
)
def test_invalid_contacts_are_refused_with_the_field_named(admin_api, payload, field):
    response = post(admin_api, payload)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert Message.objects.count() == 0


def test_a_body_that_is_not_json_gets_a_json_error(admin_api):
    response = admin_api.generic("POST", "/api/v1/inbound/api/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_html_with_scripts_handlers_and_dangerous_urls_is_sanitised(admin_api, sanne):
    hostile = (
        '<p onclick="steal()">Hoi <b>daar</b></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">klik</a><a href="https://shop.example/x">ok</a>'
        '<img src="data:image/png;base64,AAAA" onerror="x()"><iframe src="https://evil"></iframe>'
        "<svg><script>alert(2)</script></svg><style>body{}</style>"
    )
    response = post(admin_api, {"channel": "email", "from": {"email": "a@example.nl"}, "html": hostile})
    assert response.status_code == 201
    message = Message.objects.get()
    for bad in ("<script", "onclick", "onerror", "javascript:", "data:", "<iframe", "<svg", "<style"):
        assert bad not in message.html.lower()
    assert '<a href="https://shop.example/x" rel="noopener noreferrer nofollow">ok</a>' in message.html
    assert message.text.startswith("Hoi daar")


def test_hostile_attachment_names_are_made_safe_and_active_types_neutralised(admin_api, sanne):
    content = base64.b64encode(b"<script>alert(1)</script>").decode()
    names = [
        "../../etc/passwd",
        "C:\\Windows\\evil.exe",
        "invoice\u202egpj.exe",
        ".htaccess",
        "line\nbreak.txt",
        "",
    ]
    response = post(
        admin_api,
        {
            "channel": "email",
            "from": {"email": "a@example.nl"},
            "text": "zie bijlage",
            "attachments": [
                {"filename": n, "content_type": "text/html", "content_base64": content} for n in names
            ],
        },
    )
    assert response.status_code == 201
    stored = list(Attachment.objects.order_by("id"))
    assert [a.filename for a in stored] == [
        "passwd",
        "evil.exe",
        "invoicegpj.exe",
        "htaccess",
        "linebreak.txt",
        "attachment.html",
    ]
    for attachment in stored:
        assert "/" not in attachment.filename and ".." not in attachment.filename
        assert attachment.content_type == "application/octet-stream"
        assert "\u202e" not in attachment.file.name


def test_oversized_attachments_are_refused_and_nothing_is_stored(admin_api, sanne, settings):
    settings.MAX_ATTACHMENT_BYTES = 1024
    response = post(
        admin_api,
        {
            "channel": "email",
            "from": {"email": "a@example.nl"},
            "text": "groot",
            "attachments": [
                {"filename": "big.bin", "content_base64": base64.b64encode(b"x" * 2048).decode()}
            ],
        },
    )
    assert response.status_code == 400
    assert "larger than 1024 bytes" in response.json()["errors"]["attachments"]
    assert Message.objects.count() == 0


def test_a_future_sent_at_is_clamped_to_now(admin_api, sanne):
    post(
        admin_api,
        {"channel": "sms", "from": {"phone": "0612345678"}, "text": "x", "sent_at": "2099-01-01T00:00:00Z"},
    )
    assert Message.objects.get().sent_at.year < 2099
