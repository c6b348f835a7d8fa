"""Chat fixtures: a widget on https://shop.example, online agents, a real Celery worker."""

from __future__ import annotations

import pytest

from channels_integrations.chat.models import ChatWidget
from helpdesk.realtime import dbthreads, presence
from tests.channels_integrations.chat.helpers import SHOP


@pytest.fixture(autouse=True)
def _socket_db_threads_closed():
    """The chat socket's database threads keep their connections between calls; they are
    closed after each test so the test database can be flushed and dropped."""
    yield
    dbthreads.close_all()


@pytest.fixture
def widget(transactional_db, service_team):
    return ChatWidget.objects.create(name="Regenjassenhuis", allowed_origins=[SHOP], team=service_team,
                                     greeting="Hoi! Waarmee kunnen we helpen?")


@pytest.fixture
def sanne_online(sanne):
    """Sanne counts as an available agent (as her open workspace socket would make her)."""
    presence.mark_online(sanne.pk)
    yield sanne
    presence.mark_offline(sanne.pk)


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread on the test broker (Redis), so queued replies are delivered."""
    from celery.contrib.testing.worker import start_worker

    from helpdesk.celery import app

    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        yield
