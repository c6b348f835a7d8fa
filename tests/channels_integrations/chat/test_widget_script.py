"""GET /chat/widget.js is one small script any shop may load; /chat/demo/ shows it on a page."""

from __future__ import annotations

import pytest
from django.test import Client

from channels_integrations.chat.models import ChatWidget

# The whole widget (script, styles, icons) stays small: shops load it on every page.
SIZE_BUDGET = 24 * 1024


def test_the_script_is_served_to_any_origin_with_caching(db):
    response = Client().get("/chat/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert len(response.content) < SIZE_BUDGET
    again = Client().get("/chat/widget.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]


def test_the_script_needs_nothing_from_elsewhere(db):
    source = Client().get("/chat/widget.js").content.decode()
    for outside in ("http://", "https://", "import ", "@import", "eval(", ".innerHTML = m"):
        assert outside not in source.replace("https://HELPDESK", "")
    assert "attachShadow" in source and "aria-live" in source


@pytest.mark.django_db
def test_the_demo_page_embeds_the_first_active_widget():
    assert b"create_chat_widget" in Client().get("/chat/demo/").content
    ChatWidget.objects.create(name="Uit", allowed_origins=["http://testserver"], active=False)
    widget = ChatWidget.objects.create(name="Demo", allowed_origins=["http://testserver"])
    page = Client().get("/chat/demo/").content.decode()
    assert f'<script src="http://testserver/chat/widget.js" data-key="{widget.key}" async></script>' in page
    assert "not in the widget" not in page


@pytest.mark.django_db
def test_the_demo_page_says_when_its_origin_is_not_allowed():
    ChatWidget.objects.create(name="Shop", allowed_origins=["https://shop.example"])
    assert "is not in the widget" in Client().get("/chat/demo/").content.decode()
