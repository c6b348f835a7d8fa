"""manage.py create_chat_widget creates (or extends) a widget and prints the snippet."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from channels_integrations.chat.models import ChatWidget

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_chat_widget", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_widget_and_prints_the_script_tag(service_team):
    output = run("--name", "Webshop", "--origin", "https://Shop.Example/", "--team", "Klantenservice",
                 "--prechat", "name,email", "--base-url", "https://help.shop.example")
    widget = ChatWidget.objects.get()
    assert widget.allowed_origins == ["https://shop.example"]
    assert widget.team == service_team and widget.pre_chat_fields == ["name", "email"]
    assert f"key: {widget.key}" in output
    assert f'<script src="https://help.shop.example/chat/widget.js" data-key="{widget.key}" async>' in output


def test_running_it_again_adds_origins_to_the_same_widget():
    run("--name", "Webshop", "--origin", "https://shop.example")
    run("--name", "Webshop", "--origin", "https://www.shop.example", "--origin", "https://shop.example")
    widget = ChatWidget.objects.get()
    assert widget.allowed_origins == ["https://shop.example", "https://www.shop.example"]


@pytest.mark.parametrize("args, why", [
    (("--origin", "https://shop.example/path"), "allowed_origins"),
    (("--origin", "shop.example"), "allowed_origins"),
    (("--origin", "https://shop.example", "--prechat", "phone"), "pre_chat_fields"),
    (("--origin", "https://shop.example", "--team", "Nobody"), "No team named"),
])
def test_bad_input_is_refused(args, why):
    with pytest.raises(CommandError, match=why):
        run("--name", "Webshop", *args)
    assert not ChatWidget.objects.exists()
