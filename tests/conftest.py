"""The cast (Sanne, Daan, Fatima, the admin, Anna) and API clients for them."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import StoreFactory, TeamFactory, UserFactory

# Each test run talks to Redis under its own prefix, so parallel runs never cross. Settings
# are loaded by now, so the prefix is set on them; server processes get it passed on.
if "CONFIG" in settings.CHANNEL_LAYERS["default"]:
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def service_team(db):
    return TeamFactory(
        name="Klantenservice", is_default=True, channels=["email", "chat", "whatsapp", "sms", "phone", "api"]
    )


@pytest.fixture
def store(db, service_team):
    return StoreFactory(name="Amsterdam Kalverstraat", code="AMS1", team=service_team)


@pytest.fixture
def other_store(db, service_team):
    return StoreFactory(name="Utrecht Hoog Catharijne", code="UTR1", team=service_team)


@pytest.fixture
def sanne(db, service_team):
    """A service agent in the service team."""
    user = UserFactory(username="sanne", name="Sanne de Vries", role="agent")
    user.teams.add(service_team)
    return user


@pytest.fixture
def pieter(db, service_team):
    user = UserFactory(username="pieter", name="Pieter Bakker", role="agent")
    user.teams.add(service_team)
    return user


@pytest.fixture
def daan(db, store):
    """Store staff at the Amsterdam store."""
    user = UserFactory(username="daan", name="Daan Jansen", role="store_staff")
    user.stores.add(store)
    return user


@pytest.fixture
def fatima(db):
    return UserFactory(username="fatima", name="Fatima El Amrani", role="manager")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", name="Admin", role="admin", is_superuser=True, is_staff=True)


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_as():
    return client_for


@pytest.fixture
def admin_api(admin_user):
    return client_for(admin_user)
