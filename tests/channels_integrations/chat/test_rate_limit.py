"""Per-visitor and per-IP budgets: over them the widget is told so and nothing is stored."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from channels.db import database_sync_to_async

from helpdesk.tickets.models import Message
from tests.channels_integrations.chat.helpers import Visitor, fresh_ip

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_a_visitor_over_the_limit_is_told_and_not_ingested(widget, settings):
    settings.CHAT_RATE_PER_VISITOR_PER_MINUTE = 3
    visitor = Visitor(widget.key)
    await visitor.connect()
    await visitor.start()
    for n in range(3):
        assert (await visitor.say(f"bericht {n}"))["type"] == "ack"
    refused = await visitor.say("nog een", client_id="four")
    assert refused == {"type": "error", "code": "rate_limited", "client_id": "four"}
    assert await database_sync_to_async(Message.objects.count)() == 3
    await visitor.close()


async def test_visitors_behind_one_address_share_its_budget(widget, settings):
    settings.CHAT_RATE_PER_IP_PER_MINUTE = 4  # a new conversation counts too
    address = fresh_ip()
    first, second = Visitor(widget.key, ip=address), Visitor(widget.key, ip=address)
    for visitor in (first, second):
        await visitor.connect()
        await visitor.start()
    assert (await first.say("een"))["type"] == "ack"
    assert (await second.say("twee"))["type"] == "ack"
    assert (await second.say("drie"))["code"] == "rate_limited"

    elsewhere = Visitor(widget.key)
    await elsewhere.connect()
    await elsewhere.start()
    assert (await elsewhere.say("andere plek"))["type"] == "ack"
    for visitor in (first, second, elsewhere):
        await visitor.close()


def settings_in_a_fresh_process(**environment: str) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings as s; " \
           "print(s.CHAT_RATE_PER_VISITOR_PER_MINUTE, s.CHAT_RATE_PER_IP_PER_MINUTE)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "helpdesk.settings", **environment}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_the_limits_come_from_the_environment_and_bad_values_fail_loudly():
    assert settings_in_a_fresh_process(CHAT_RATE_PER_VISITOR_PER_MINUTE="7").stdout.split() == ["7", "120"]
    bad = settings_in_a_fresh_process(CHAT_RATE_PER_IP_PER_MINUTE="-1")
    assert bad.returncode != 0 and "CHAT_RATE_" in bad.stderr
