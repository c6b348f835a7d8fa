"""Who the bench's customers are, kept in compact arrays instead of model objects.

Every contact detail is derived from the customer's id, so it is unique without a
lookup, and the workload can address a seeded customer by email, phone or WhatsApp
id later without storing them.
"""

from __future__ import annotations

import random
import unicodedata
from array import array

from bench import words

EMAIL, PHONE, WHATSAPP, LOYALTY, INSTAGRAM, MESSENGER, VISITOR = (1, 2, 4, 8, 16, 32, 64)
EMAIL_DOMAIN = "bench.example.com"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalpha())


def email_for(first: str, last: str, customer_id: int) -> str:
    return f"{slug(first)}.{slug(last)}.{customer_id}@{EMAIL_DOMAIN}"


def phone_for(customer_id: int) -> str:
    # +31 60 and seven digits: a possible Dutch mobile number no demo customer has.
    return f"+3160{customer_id:07d}"


class Population:
    """The seeded customers: ids `first_id .. first_id + count - 1`."""

    def __init__(self, count: int, first_id: int, rng: random.Random, now: float) -> None:
        if count + first_id >= 10_000_000:
            raise ValueError("the bench numbers phones with seven digits: at most ~10 million customers")
        self.count, self.first_id = count, first_id
        self.first = array("H", (rng.randrange(len(words.FIRST_NAMES)) for _ in range(count)))
        self.last = array("H", (rng.randrange(len(words.LAST_NAMES)) for _ in range(count)))
        self.language = array("b", (rng.random() < 0.2 for _ in range(count)))  # 1: English
        self.created = array("d", (now - rng.uniform(30, 730) * 86400 for _ in range(count)))
        self.flags = array("B", (_flags(rng) for _ in range(count)))
        # Some customers write far more often than others (a skewed, scattered choice).
        self._order = list(range(count))
        rng.shuffle(self._order)

    def pick(self, rng: random.Random) -> int:
        """An index, favouring a few frequent customers the way real traffic does."""
        return self._order[int(self.count * rng.random() ** 1.3)]

    def id(self, index: int) -> int:
        return self.first_id + index

    def name(self, index: int) -> str:
        return f"{words.FIRST_NAMES[self.first[index]]} {words.LAST_NAMES[self.last[index]]}"

    def has(self, index: int, flag: int) -> bool:
        return bool(self.flags[index] & flag)

    def email(self, index: int) -> str:
        if not self.has(index, EMAIL):
            return ""
        return email_for(words.FIRST_NAMES[self.first[index]], words.LAST_NAMES[self.last[index]],
                         self.id(index))

    def phone(self, index: int) -> str:
        return phone_for(self.id(index)) if self.has(index, PHONE) else ""

    def identities(self, index: int) -> list[tuple[str, str]]:
        """(kind, normalised value) pairs, exactly as the inbound path would store them."""
        cid, flags = self.id(index), self.flags[index]
        pairs = [("email", self.email(index)), ("phone", self.phone(index))]
        if flags & WHATSAPP:
            pairs.append(("whatsapp", phone_for(cid).lstrip("+")))
        if flags & LOYALTY:
            pairs.append(("loyalty_card", f"BL{cid:09d}"))
        if flags & INSTAGRAM:
            pairs.append(("instagram", str(10**15 + cid)))
        if flags & MESSENGER:
            pairs.append(("messenger", str(2 * 10**15 + cid)))
        if flags & VISITOR:
            pairs.append(("web_visitor", f"bench-visitor-{cid}"))
        return [(kind, value) for kind, value in pairs if value]

    def sender(self, index: int, channel: str) -> str:
        """The address or handle a message on this channel came from."""
        for kind, value in self.identities(index):
            if kind == _SENDER_KIND.get(channel):
                return value
        return ""


# Which identity a channel's "from" shows (the registry's handle kinds, plus SMS/phone).
_SENDER_KIND = {"email": "email", "chat": "web_visitor", "whatsapp": "whatsapp",
                "messenger": "messenger", "instagram": "instagram", "sms": "phone",
                "phone": "phone", "instore": "loyalty_card"}


def _flags(rng: random.Random) -> int:
    flags = EMAIL if rng.random() < 0.9 else 0
    if rng.random() < 0.65 or not flags:
        flags |= PHONE
        if rng.random() < 0.4:
            flags |= WHATSAPP
    if rng.random() < 0.25:
        flags |= LOYALTY
    if rng.random() < 0.05:
        flags |= INSTAGRAM if rng.random() < 0.5 else MESSENGER
    if rng.random() < 0.1:
        flags |= VISITOR
    return flags
