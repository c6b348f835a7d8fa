"""The demo decided up front, from a seeded random generator: customers, orders, stories.

Deciding everything before anything is written keeps the loader simple and the demo
identical on every run (only shifted to end at the moment it is loaded).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from helpdesk.demo import data
from helpdesk.demo.stories import CHAT_STORY, DAY, STORIES, Story, span

_SERVICE_AGENTS = ("sanne", "pieter", "emma")


@dataclass
class PlannedCustomer:
    name: str
    first: str
    language: str
    since: datetime
    email: str = ""
    phone: str = ""
    whatsapp: str = ""
    loyalty_card: str = ""
    social: tuple[str, str] | None = None  # (identity kind, provider id)
    visitor: str = ""  # the live-chat widget's visitor id
    known: bool = True  # False: an anonymous chat visitor, created by the inbound path
    pk: int | None = None

    def claims(self) -> list[tuple[str, str]]:
        pairs = [("email", self.email), ("phone", self.phone), ("whatsapp", self.whatsapp),
                 ("loyalty_card", self.loyalty_card), self.social or ("", "")]
        return [(kind, value) for kind, value in pairs if kind and value]

    def has(self, detail: str) -> bool:
        return bool(self.social if detail == "social" else getattr(self, detail))


@dataclass
class PlannedOrder:
    customer: PlannedCustomer
    source: str  # webshop | pos
    placed_at: datetime
    lines: list[tuple[data.Product, str]]  # product, size
    store: str = ""  # store code, for pos orders
    carrier: str = ""
    tracking: str = ""
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    returned_at: datetime | None = None
    return_reason: str = ""
    number: str = ""
    mentioned: bool = False  # a story talks about it

    @property
    def total(self) -> Decimal:
        return sum((product.price for product, _ in self.lines), Decimal("0"))


@dataclass
class PlannedStory:
    story: Story
    customer: PlannedCustomer
    start: datetime
    channel: str
    product: data.Product
    store: str  # store code the story happens in or talks about
    agent: str  # who picks the ticket up when nobody owns it
    order: PlannedOrder | None = None
    reason: str = ""
    ticket_id: int | None = None
    thread_id: str = ""  # the customer's latest email Message-ID, for threading replies
    subject: str = ""  # the first email's subject, which replies repeat


@dataclass
class Plan:
    now: datetime
    customers: list[PlannedCustomer] = field(default_factory=list)
    orders: list[PlannedOrder] = field(default_factory=list)
    stories: list[PlannedStory] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return min(customer.since for customer in self.customers) - timedelta(days=7)


def build_plan(size: int, now: datetime) -> Plan:
    return _Planner(size, now).build()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class _Planner:
    def __init__(self, size: int, now: datetime) -> None:
        self.rng = random.Random(data.SEED)
        self.size = size
        self.plan = Plan(now=now.replace(second=0, microsecond=0))
        self.taken: set[str] = set()

    def build(self) -> Plan:
        for _ in range(self.size):
            customer = self._customer()
            self.plan.customers.append(customer)
            self._history_orders(customer)
            self._stories(customer)
        for _ in range(max(1, self.size // 6)):
            self._chat_visitor()
        _number_orders(self.plan.orders)
        return self.plan

    # --- people ------------------------------------------------------------------

    def _customer(self) -> PlannedCustomer:
        rng = self.rng
        language = "en" if rng.random() < 0.25 else "nl"
        firsts, lasts = ((data.FIRST_NAMES_EN, data.LAST_NAMES_EN) if language == "en"
                         else (data.FIRST_NAMES_NL, data.LAST_NAMES_NL))
        first, last = rng.choice(firsts), rng.choice(lasts)
        since = self.plan.now - timedelta(days=data.HISTORY_DAYS + 30, minutes=-rng.randint(0, 20 * DAY))
        customer = PlannedCustomer(name=f"{first} {last}", first=first, language=language, since=since)
        has_email = rng.random() < 0.9
        if has_email:
            customer.email = self._email(first, last, language)
        if rng.random() < 0.75 or not has_email:
            customer.phone = self._unique(lambda: f"+316{rng.randint(10_000_000, 99_999_999)}")
            if rng.random() < 0.6:
                customer.whatsapp = customer.phone.lstrip("+")  # WhatsApp ids are bare digits
        if rng.random() < 0.45:
            customer.loyalty_card = self._unique(lambda: f"NL{rng.randint(10_000_000, 99_999_999)}")
        if rng.random() < 0.2:
            kind = rng.choice(("instagram", "messenger"))
            customer.social = (kind, self._unique(lambda: str(rng.randint(10**15, 10**16 - 1))))
        customer.visitor = self._unique(lambda: f"visitor-{rng.getrandbits(40):010x}")
        return customer

    def _email(self, first: str, last: str, language: str) -> str:
        domains = data.EMAIL_DOMAINS_EN if language == "en" else data.EMAIL_DOMAINS_NL
        local = f"{_slug(first)}.{_slug(last)}"
        address = f"{local}@{self.rng.choice(domains)}"
        while address in self.taken:
            address = f"{local}{self.rng.randint(2, 99)}@{self.rng.choice(domains)}"
        self.taken.add(address)
        return address

    def _unique(self, make) -> str:
        value = make()
        while value in self.taken:
            value = make()
        self.taken.add(value)
        return value

    def _chat_visitor(self) -> None:
        """Someone on the web shop who asks a question without saying who they are."""
        rng = self.rng
        visitor = PlannedCustomer(
            name="", first="", language=rng.choice(("nl", "nl", "en")), since=self.plan.now,
            visitor=self._unique(lambda: f"visitor-{rng.getrandbits(40):010x}"), known=False,
        )
        start = self.plan.now - timedelta(minutes=rng.randint(30, data.HISTORY_DAYS * DAY))
        self._add_story(CHAT_STORY, visitor, self._daytime(start))

    # --- orders --------------------------------------------------------------------

    def _history_orders(self, customer: PlannedCustomer) -> None:
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            latest = self.plan.now - timedelta(days=1)
            placed = customer.since + (latest - customer.since) * self.rng.random()
            if self.rng.random() < 0.25:
                self._order(customer, "pos", placed, store=self.rng.choice(data.STORES).code)
            else:
                self._order(customer, "delivered", placed)

    def _order(self, customer: PlannedCustomer, kind: str, placed: datetime, *, store: str = "",
               product: data.Product | None = None) -> PlannedOrder:
        rng = self.rng
        products = [product or rng.choice(data.PRODUCTS)]
        products += rng.sample(data.PRODUCTS, rng.choice((0, 0, 1, 2)))
        order = PlannedOrder(customer=customer, source="pos" if kind == "pos" else "webshop",
                             placed_at=placed, store=store,
                             lines=[(p, rng.choice(p.sizes)) for p in products])
        if kind != "pos":
            order.carrier = rng.choice(data.CARRIERS)
            order.tracking = _tracking(rng, order.carrier)
            order.shipped_at = placed + timedelta(hours=rng.randint(18, 30))
        if kind in ("delivered", "returned"):
            order.delivered_at = placed + timedelta(hours=rng.randint(40, 60))
        self.plan.orders.append(order)
        return order

    # --- stories -------------------------------------------------------------------

    def _stories(self, customer: PlannedCustomer) -> None:
        """One to three stories, one after the other, so each gets its own ticket."""
        rng = self.rng
        count = 1 + (rng.random() < 0.55) + (rng.random() < 0.25)
        recent = rng.random() < 0.45  # the latest contact is still going on
        cursor = self.plan.now - timedelta(days=data.HISTORY_DAYS, minutes=-rng.randint(0, 10 * DAY))
        for index in range(count):
            is_recent = recent and index == count - 1
            if is_recent:
                start = self.plan.now - timedelta(minutes=rng.randint(10, 60 * 60))
            else:
                start = cursor + timedelta(minutes=rng.randint(DAY // 2, 14 * DAY))
            start = self._daytime(start)
            if start < cursor or start > self.plan.now - timedelta(minutes=15):
                return
            story = self._pick(customer, recent=is_recent)
            self._add_story(story, customer, start)
            # A gap longer than the reopen window keeps the next contact on a new ticket.
            cursor = start + timedelta(minutes=span(story), days=4)

    def _daytime(self, at: datetime) -> datetime:
        """Customers write (and staff answer) between eight in the morning and eight at night."""
        local = timezone.localtime(at)
        if not 8 <= local.hour < 20:
            local = local.replace(hour=self.rng.randint(8, 19))
            if local > self.plan.now:
                local -= timedelta(days=1)
        return local

    def _pick(self, customer: PlannedCustomer, *, recent: bool) -> Story:
        choices = [story for story in STORIES
                   if (recent or not story.recent_only) and all(customer.has(n) for n in story.needs)]
        return self.rng.choices(choices, weights=[story.weight for story in choices])[0]

    def _add_story(self, story: Story, customer: PlannedCustomer, start: datetime) -> None:
        rng = self.rng
        store = story.store if story.store != "other" else rng.choice(("UTR1", "RTM1"))
        planned = PlannedStory(
            story=story, customer=customer, start=start, channel=_channel(story, customer),
            product=rng.choice(data.PRODUCTS), store=store or rng.choice(data.STORES).code,
            agent="emma" if story.channel == "social" else rng.choice(_SERVICE_AGENTS),
            reason=rng.choice(data.RETURN_REASONS[customer.language]),
        )
        if story.order:
            planned.order = self._story_order(planned)
        self.plan.stories.append(planned)

    def _story_order(self, planned: PlannedStory) -> PlannedOrder:
        story, rng = planned.story, self.rng
        low, high = story.order_days
        placed = planned.start - timedelta(minutes=rng.randint(max(low * DAY, 120), high * DAY))
        placed = max(placed, planned.customer.since + timedelta(hours=1))
        order = self._order(planned.customer, story.order, placed, product=planned.product,
                            store=planned.store if story.order == "pos" else "")
        if story.order == "returned":
            order.returned_at = planned.start + timedelta(minutes=story.return_at)
            order.return_reason = planned.reason
        order.mentioned = True
        return order


def _channel(story: Story, customer: PlannedCustomer) -> str:
    if story.channel == "messaging":
        return "whatsapp" if customer.whatsapp else ("email" if customer.email else "sms")
    if story.channel == "social" and customer.social:
        return customer.social[0]
    return story.channel


def _tracking(rng: random.Random, carrier: str) -> str:
    if carrier == "PostNL":
        return f"3SDEMO{rng.randint(10**8, 10**9 - 1)}"
    if carrier == "DHL":
        return f"JVGL{rng.randint(10**9, 10**10 - 1)}"
    return str(rng.randint(10**13, 10**14 - 1))


def _number_orders(orders: list[PlannedOrder]) -> None:
    """Web shop numbers count up with time; store receipts per store."""
    web = sorted((o for o in orders if o.source == "webshop"), key=lambda o: o.placed_at)
    for index, order in enumerate(web):
        order.number = str(100200 + index)
    per_store: dict[str, int] = {}
    for order in sorted((o for o in orders if o.source == "pos"), key=lambda o: o.placed_at):
        per_store[order.store] = per_store.get(order.store, 0) + 1
        order.number = f"{order.store}-{per_store[order.store]:05d}"
    # The example numbers people try first ("bestelling 100234", "order 100245") are
    # ones a ticket talks about, so searching them shows a linked conversation.
    _feature(web, "100234", "nl")
    _feature(web, "100245", "en")


def _feature(web: list[PlannedOrder], number: str, language: str) -> None:
    holder = next((o for o in web if o.number == number), None)
    if holder is None or (holder.mentioned and holder.customer.language == language):
        return
    candidates = [o for o in web if o.mentioned and o.customer.language == language
                  and o.number not in ("100234", "100245")]
    if candidates:
        best = min(candidates, key=lambda o: abs(int(o.number) - int(number)))
        holder.number, best.number = best.number, holder.number
