"""The bench's teams, stores, staff and API account: few rows, so the ORM writes them."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.authtoken.models import Token

from agents.models import Role, Store, Team, User

SERVICE_CHANNELS = ["email", "chat", "whatsapp", "sms", "phone", "instore", "api"]
SOCIAL_CHANNELS = ["messenger", "instagram"]
ADMIN_USERNAME = "bench-admin"


@dataclass(frozen=True)
class Staff:
    service_team: int
    social_team: int
    stores: list[int]
    service_agents: list[int]
    social_agents: list[int]
    store_staff: dict[int, int]  # store id -> the staff member at its counter


def ensure_staff(*, agents: int = 40, stores: int = 20) -> Staff:
    """Get or create, so a second run reuses the first run's staff."""
    service = _team("Bench klantenservice", SERVICE_CHANNELS)
    social = _team("Bench social media", SOCIAL_CHANNELS)
    store_rows = [
        Store.objects.get_or_create(code=f"BENCH{n:02d}", defaults={
            "name": f"Bench winkel {n}", "city": "Amsterdam", "team": service})[0]
        for n in range(1, stores + 1)
    ]
    social_count = max(1, agents // 4)
    service_agents = [_user(f"bench-agent-{n}", Role.AGENT, team=service)
                      for n in range(1, agents - social_count + 1)]
    social_agents = [_user(f"bench-social-{n}", Role.AGENT, team=social)
                     for n in range(1, social_count + 1)]
    counter = {store.pk: _user(f"bench-store-{store.code.lower()}", Role.STORE_STAFF, store=store)
               for store in store_rows}
    return Staff(service.pk, social.pk, [s.pk for s in store_rows], [u.pk for u in service_agents],
                 [u.pk for u in social_agents], {pk: user.pk for pk, user in counter.items()})


def token_for(username: str) -> str | None:
    """A token of an existing staff account (None if there is no such account)."""
    user = User.objects.filter(username=username, is_active=True).first()
    return Token.objects.get_or_create(user=user)[0].key if user else None


def api_token() -> str:
    """A token of an admin account, for the HTTP requests."""
    user, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"name": "Bench admin", "role": Role.ADMIN, "is_superuser": True, "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return Token.objects.get_or_create(user=user)[0].key


def _team(name: str, channels: list[str]) -> Team:
    is_default = not Team.objects.filter(is_default=True).exists() and name.endswith("klantenservice")
    return Team.objects.get_or_create(name=name, defaults={"channels": channels,
                                                           "is_default": is_default})[0]


def _user(username: str, role: str, *, team: Team | None = None, store: Store | None = None) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"name": username.replace("-", " ").title(), "role": role}
    )
    if created:
        user.set_unusable_password()  # hashing real passwords would dominate the seed time
        user.save(update_fields=["password"])
        if team:
            user.teams.add(team)
        if store:
            user.stores.add(store)
    return user
