"""Tickets planned with their messages, written as rows the services would have written.

A ticket's counters (message_count, last_message_at, last_channel, preview, first
response) come from its messages, so the ticket and its messages are planned together;
the messages are kept in compact arrays until their own COPY.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from bench import words

if TYPE_CHECKING:
    from bench.seed import Seeder

CHANNELS = ("email", "chat", "whatsapp", "messenger", "instagram", "sms", "phone", "instore")
CHANNEL_WEIGHTS = (40, 15, 20, 4, 4, 4, 8, 5)
SOCIAL = {CHANNELS.index("messenger"), CHANNELS.index("instagram")}
INSTORE = CHANNELS.index("instore")
IN, OUT, NOTE = 0, 1, 2
DIRECTIONS = ("in", "out", "note")
DELIVERY = ("received", "delivered", "received")
WEB_STATUSES = ("delivered",) * 14 + ("shipped",) * 2 + ("returned",) * 2 + ("paid", "cancelled")
PRIORITIES = ("normal",) * 17 + ("high", "high", "low", "urgent")

_NUMBERED_SUBJECTS = [s for s in words.SUBJECTS if "{number}" in s]
_PLAIN_SUBJECTS = [s for s in words.SUBJECTS if "{number}" not in s]
_NUMBERED_TEXTS = [t for t in words.INBOUND if "{number}" in t]
_PLAIN_TEXTS = [t for t in words.INBOUND if "{number}" not in t]
# One pool of texts; a message stores its index. Numbered texts are filled in per ticket.
TEXTS = (*_NUMBERED_TEXTS, *_PLAIN_TEXTS, *words.OUTBOUND, *words.NOTES)
_POOLS = {
    "numbered": range(0, len(_NUMBERED_TEXTS)),
    IN: range(len(_NUMBERED_TEXTS), len(_NUMBERED_TEXTS) + len(_PLAIN_TEXTS)),
    OUT: range(len(words.INBOUND), len(words.INBOUND) + len(words.OUTBOUND)),
    NOTE: range(len(words.INBOUND) + len(words.OUTBOUND), len(TEXTS)),
}


def dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def order_number(order_id: int) -> str:
    return str(20_000_000 + order_id)  # eight digits: never one of the demo's numbers


TICKET_COLUMNS = (
    "id", "subject", "status", "priority", "channel", "last_channel", "last_message_preview",
    "message_count", "created_at", "updated_at", "last_message_at", "last_inbound_at",
    "first_response_due", "resolution_due", "first_response_at", "solved_at", "closed_at",
    "reopened_at", "reopen_count", "solved_on_first_contact", "customer_id", "owner_id",
    "store_id", "team_id",
)
MESSAGE_COLUMNS = (
    "id", "channel", "account", "direction", "sender", "subject", "text", "html", "external_id",
    "thread_id", "references", "conversation", "delivery_status", "delivery_error",
    "is_automatic", "sent_at", "created_at", "author_id", "customer_id", "ticket_id",
)
TIMELINE_COLUMNS = ("id", "kind", "channel", "summary", "data", "occurred_at", "actor_id",
                    "customer_id", "message_id", "order_id", "ticket_id")


class TicketPlanner:
    """Plans every ticket with its messages; keeps the messages in compact arrays.

    Ticket rows are written while planning (their counters come from the messages),
    messages and timeline entries afterwards from the arrays.
    """

    def __init__(self, seeder: Seeder) -> None:
        self.s = seeder
        self.rng = seeder.rng
        count = seeder.sizes.tickets
        self.counts = _message_counts(count, seeder.sizes.messages, self.rng)
        self.customer = array("l")
        self.channel = array("b")
        self.owner = array("q")
        self.order = array("l")  # linked order index, -1 for none
        self.subject: list[str] = []
        self.sent = array("d")
        self.direction = array("b")
        self.msg_channel = array("b")
        self.author = array("q")
        self.text = array("H")

    def ticket_id(self, j: int) -> int:
        return self.s.base["tickets_ticket"] + 1 + j

    def rows(self) -> Iterator[tuple]:
        for j in range(len(self.counts)):
            yield self._plan(j)

    def _plan(self, j: int) -> tuple:
        s, rng = self.s, self.rng
        customer = s.people.pick(rng)
        channel = rng.choices(range(len(CHANNELS)), CHANNEL_WEIGHTS)[0]
        created = rng.uniform(max(s.people.created[customer], s.now - 730 * 86400), s.now - 120)
        status = _status(rng, s.now - created)
        team = s.staff.social_team if channel in SOCIAL else s.staff.service_team
        store = rng.choice(s.staff.stores) if channel == INSTORE else None
        owner = self._owner(channel, store, status)
        order = self._linked_order(customer, created)
        number = order_number(s.order_id(order)) if order >= 0 else ""
        subject = (rng.choice(_NUMBERED_SUBJECTS).format(number=number) if number
                   else rng.choice(_PLAIN_SUBJECTS))
        for array_, value in ((self.customer, customer), (self.channel, channel),
                              (self.owner, owner or 0), (self.order, order)):
            array_.append(value)
        self.subject.append(subject)
        facts = self._plan_messages(j, created, channel, status, owner, number)
        return self._ticket_row(j, subject, status, channel, created, facts, customer, owner,
                                store, team)

    def _owner(self, channel: int, store: int | None, status: str) -> int | None:
        staff = self.s.staff
        if store is not None:
            return staff.store_staff[store]
        if status in ("new", "open", "pending", "on_hold") and self.rng.random() < 0.15:
            return None  # waiting in the unassigned queue
        return self.rng.choice(staff.social_agents if channel in SOCIAL else staff.service_agents)

    def _linked_order(self, customer: int, created: float) -> int:
        orders = self.s.orders_of.get(customer)
        if not orders or self.rng.random() > 0.3:
            return -1
        order = self.rng.choice(orders)
        return order if self.s.order_placed[order] < created else -1

    def _plan_messages(self, j: int, created: float, channel: int, status: str,
                       owner: int | None, number: str) -> dict:
        rng, count = self.rng, self.counts[j]
        gaps = [0.0] + [60 + rng.expovariate(1 / 10800) for _ in range(count - 1)]
        room = self.s.now - 60 - created
        if sum(gaps) > room:  # a young ticket's conversation is squeezed into its age
            gaps = [gap * room / sum(gaps) for gap in gaps]
        facts: dict = {"first_out": None, "last": None, "last_in": None, "last_channel": channel,
                       "preview": ""}
        at = created
        for k in range(count):
            at += gaps[k]
            direction = self._direction(k, status)
            text = self._text(k, direction, number)
            msg_channel = self._msg_channel(k, direction, channel)
            self._append(at, direction, msg_channel, self._author(direction, owner), text)
            self._note_facts(facts, at, direction, msg_channel, text, number)
        return facts

    def _direction(self, k: int, status: str) -> int:
        if k == 0 or status == "new":
            return IN  # nobody has answered a new ticket yet
        if self.rng.random() < 0.12:
            return NOTE
        return OUT if k % 2 else IN

    def _text(self, k: int, direction: int, number: str) -> int:
        pool = _POOLS["numbered"] if (k == 0 and number) else _POOLS[direction]
        return pool[self.rng.randrange(len(pool))]

    def _msg_channel(self, k: int, direction: int, channel: int) -> int:
        if direction == IN and k and self.rng.random() < 0.1:
            return self.rng.choice((0, 2))  # the customer switches to email or WhatsApp
        if direction == OUT and channel == INSTORE:
            return 0  # a reply to a counter visit goes out by email
        return channel

    def _author(self, direction: int, owner: int | None) -> int:
        if direction == IN:
            return 0
        return owner or self.rng.choice(self.s.staff.service_agents)

    def _append(self, at: float, direction: int, channel: int, author: int, text: int) -> None:
        self.sent.append(at)
        self.direction.append(direction)
        self.msg_channel.append(channel)
        self.author.append(author)
        self.text.append(text)

    @staticmethod
    def _note_facts(facts: dict, at: float, direction: int, channel: int, text: int,
                    number: str) -> None:
        if direction == OUT and facts["first_out"] is None:
            facts["first_out"] = at
        if direction != NOTE:
            facts["last"] = at
            facts["preview"] = TEXTS[text].format(number=number)[:200]
        if direction == IN:
            facts["last_in"] = at
            facts["last_channel"] = channel

    def _ticket_row(self, j: int, subject: str, status: str, channel: int, created: float,
                    facts: dict, customer: int, owner: int | None, store: int | None,
                    team: int) -> tuple:
        priority = self.rng.choice(PRIORITIES)
        first_due, resolution_due = settings.SLA_TARGETS[priority]
        solved = closed = None
        updated = facts["last"]
        if status in ("solved", "closed"):
            solved = min(facts["last"] + 600, self.s.now)
            closed = min(solved + 4 * 86400, self.s.now) if status == "closed" else None
            updated = closed or solved
        return (
            self.ticket_id(j), subject, status, priority, CHANNELS[channel],
            CHANNELS[facts["last_channel"]], facts["preview"], self.counts[j], dt(created),
            dt(updated), dt(facts["last"]), dt(facts["last_in"]),
            dt(created) + timedelta(minutes=first_due),
            dt(created) + timedelta(minutes=resolution_due),
            dt(facts["first_out"]) if facts["first_out"] else None,
            dt(solved) if solved else None, dt(closed) if closed else None, None, 0, False,
            self.s.people.id(customer), owner, store, team,
        )

    # --- after the tickets are in --------------------------------------------------------

    def link_rows(self) -> Iterator[tuple]:
        next_id = self.s.base["tickets_ticket_orders"]
        for j, order in enumerate(self.order):
            if order >= 0:
                next_id += 1
                yield (next_id, self.ticket_id(j), self.s.order_id(order))

    def _messages_by_ticket(self) -> Iterator[tuple[int, int, int, int]]:
        """(ticket index, position in the ticket, message index, message id) in id order."""
        first_message_id = self.s.base["tickets_message"] + 1
        index = 0
        for j, count in enumerate(self.counts):
            for k in range(count):
                yield j, k, index, first_message_id + index
                index += 1

    def message_rows(self) -> Iterator[tuple]:
        people = self.s.people
        for j, _, m, message_id in self._messages_by_ticket():
            direction, channel = self.direction[m], CHANNELS[self.msg_channel[m]]
            customer = self.customer[j]
            inbound = direction == IN
            provider_id = f"bench-{message_id}" if inbound else None
            sent = dt(self.sent[m])
            yield (
                message_id, channel, "", DIRECTIONS[direction],
                people.sender(customer, channel) if inbound else "",
                self._message_subject(j, m, channel), self._message_text(j, m), "", provider_id,
                provider_id or "", "[]", "", DELIVERY[direction], "", False, sent, sent,
                self.author[m] or None, people.id(customer), self.ticket_id(j),
            )

    def _message_subject(self, j: int, m: int, channel: str) -> str:
        if channel != "email" and self.direction[m] == IN:
            return ""
        return self.subject[j]  # replies and notes carry the ticket's subject

    def _message_text(self, j: int, m: int) -> str:
        order = self.order[j]
        number = order_number(self.s.order_id(order)) if order >= 0 else ""
        return TEXTS[self.text[m]].format(number=number)

    def timeline_rows(self) -> Iterator[tuple]:
        """ticket_opened, then each message (and the order link after the first one)."""
        people = self.s.people
        for j, k, m, message_id in self._messages_by_ticket():
            customer_id, ticket_id = people.id(self.customer[j]), self.ticket_id(j)
            sent = dt(self.sent[m])
            if k == 0:
                yield ("ticket_opened", CHANNELS[self.channel[j]], self.subject[j][:255], "{}", sent,
                       None, customer_id, None, None, ticket_id)
            direction = self.direction[m]
            yield ("note" if direction == NOTE else "message", CHANNELS[self.msg_channel[m]],
                   self._message_text(j, m)[:200], f'{{"direction": "{DIRECTIONS[direction]}"}}',
                   sent, self.author[m] or None, customer_id, message_id, None, ticket_id)
            if k == 0 and self.order[j] >= 0:
                order_id = self.s.order_id(self.order[j])
                yield ("order_linked", "", f"Order {order_number(order_id)} linked to ticket #{ticket_id}",
                       "{}", sent, None, customer_id, None, order_id, ticket_id)


def _status(rng: random.Random, age: float) -> str:
    """A backlog of a few days' volume: most young tickets open, a handful of old ones."""
    day = 86400
    if rng.random() < (0.75 if age < 2 * day else 0.3 if age < 7 * day else 0.002):
        return rng.choice(("new", "open", "open", "pending", "pending", "on_hold"))
    return "closed" if age > 14 * day and rng.random() < 0.8 else "solved"


def _message_counts(tickets: int, messages: int, rng: random.Random) -> array:
    """At least one message per ticket, `messages` in total, spread around the mean."""
    spread = max(0, 2 * (messages // tickets - 1))
    counts = array("H", (1 + rng.randint(0, spread) for _ in range(tickets)))
    difference = messages - sum(counts)
    while difference:
        j = rng.randrange(tickets)
        if difference > 0 and counts[j] < 60000:
            counts[j] += 1
            difference -= 1
        elif difference < 0 and counts[j] > 1:
            counts[j] -= 1
            difference += 1
    return counts
