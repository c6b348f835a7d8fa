"""What the measurements send: ids, contact details and queries sampled from the database.

Sampling (not the bench's own seeding arrays) makes `--skip-seed` runs and runs on
any existing data set work the same way. Nothing here is timed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote

from django.db import connection

from helpdesk.customers.models import Identity

API = "/api/v1"
# Identity kind -> how a contact from it arrives on the generic inbound API.
_CHANNEL_OF = {"email": "email", "phone": "sms", "whatsapp": "whatsapp", "instagram": "instagram",
               "messenger": "messenger", "web_visitor": "chat"}


@dataclass(frozen=True)
class Workload:
    paths: dict[str, list[str]]  # endpoint name -> GET paths, one per request
    search_kinds: list[str]
    inbound: list[dict]  # API.md generic contacts, for ingest() and for HTTP
    known_share: float


def build(*, requests: int, inbound: int, tag: str, rng: random.Random) -> Workload:
    """`requests` GETs per endpoint, `inbound` contacts (about 60% from known customers)."""
    searches, kinds = _searches(requests, rng)
    contacts = _contacts(inbound, tag, rng)
    return Workload(
        paths={
            "inbox": [f"{API}/tickets/?view=all"] * requests,
            "ticket": [f"{API}/tickets/{pk}/" for pk in _sample("SELECT id FROM tickets_ticket", requests)],
            "timeline": [f"{API}/customers/{pk}/timeline/"
                         for pk in _sample("SELECT customer_id FROM tickets_ticket", requests)],
            "search": [f"{API}/customers/?q={quote(query)}" for query in searches],
        },
        search_kinds=kinds,
        inbound=contacts,
        known_share=round(sum(1 for c in contacts if c["_known"]) / max(1, len(contacts)), 2),
    )


def _sample(select: str, count: int) -> list:
    """Random rows; ORDER BY random() scans the table once, which is fine untimed."""
    with connection.cursor() as cursor:
        cursor.execute(f"{select} ORDER BY random() LIMIT %s", [count])
        return [row[0] for row in cursor.fetchall()]


def _searches(count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Equal parts email, phone (as people type it), order number and name."""
    per_kind = -(-count // 4)
    emails = _sample("SELECT value FROM customers_identity WHERE kind = 'email'", per_kind)
    phones = _sample("SELECT value FROM customers_identity WHERE kind = 'phone'", per_kind)
    numbers = _sample("SELECT number FROM orders_order", per_kind)
    names = _sample("SELECT name FROM customers_customer WHERE name <> ''", per_kind)
    queries = {
        "email": [e.upper() if rng.random() < 0.3 else e for e in emails],
        "phone": [f"06-{p[4:]}" if p.startswith("+316") else p for p in phones],
        "order": numbers,
        "name": [n if rng.random() < 0.5 else n.split(" ", 1)[-1] for n in names],
    }
    mixed = [(kind, query) for kind, items in queries.items() for query in items]
    rng.shuffle(mixed)
    mixed = mixed[:count]
    return [query for _, query in mixed], [kind for kind, _ in mixed]


def _contacts(count: int, tag: str, rng: random.Random) -> list[dict]:
    known = _known_senders(int(count * 0.6), rng)
    contacts = []
    for index in range(count):
        sender = known.pop() if known and rng.random() < 0.6 else None
        contact = _known_contact(sender, rng) if sender else _new_contact(index, tag, rng)
        contact["external_id"] = f"bench-{tag}-{index}"
        contacts.append(contact)
    return contacts


def _known_senders(count: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """(identity kind, value, the customer's order numbers) of random known customers."""
    customers = _sample("SELECT id FROM customers_customer WHERE merged_into_id IS NULL", count)
    identities: dict[int, list[tuple[str, str]]] = {}
    for customer_id, kind, value in Identity.objects.filter(
        customer_id__in=customers, kind__in=list(_CHANNEL_OF)
    ).values_list("customer_id", "kind", "value"):
        identities.setdefault(customer_id, []).append((kind, value))
    with connection.cursor() as cursor:
        cursor.execute("SELECT customer_id, number FROM orders_order WHERE customer_id = ANY(%s)",
                       [customers])
        numbers: dict[int, list[str]] = {}
        for customer_id, number in cursor.fetchall():
            numbers.setdefault(customer_id, []).append(number)
    return [(*rng.choice(pairs), numbers.get(pk, [])) for pk, pairs in identities.items()]


def _known_contact(sender: tuple[str, str, list[str]], rng: random.Random) -> dict:
    kind, value, numbers = sender
    origin = {"email": {"email": value}, "phone": {"phone": value},
              "whatsapp": {"phone": f"+{value}", "handle": value}}.get(kind, {"handle": value})
    text = "Hallo, ik heb een vraag over mijn laatste bestelling."
    if numbers and rng.random() < 0.4:
        text = f"Hallo, waar blijft bestelling {rng.choice(numbers)}? Ik heb nog niets ontvangen."
    return {"channel": _CHANNEL_OF[kind], "from": origin, "text": text,
            "subject": "Vraag over mijn bestelling" if kind == "email" else "", "_known": True}


def _new_contact(index: int, tag: str, rng: random.Random) -> dict:
    if rng.random() < 0.7:
        origin, channel = {"email": f"new.{tag}.{index}@bench-new.example.com",
                           "name": "Nieuwe Klant"}, "email"
    else:
        origin, channel = {"handle": f"bench-new-visitor-{tag}-{index}"}, "chat"
    return {"channel": channel, "from": origin, "text": "Do the wool sweaters run small?",
            "subject": "Maatadvies" if channel == "email" else "", "_known": False}
