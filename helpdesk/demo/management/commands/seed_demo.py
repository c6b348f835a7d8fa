"""`manage.py seed_demo [--size N]`: a realistic Dutch and English retail demo.

Safe to run on every start (`make run` does): once the demo staff exist it only
prints the logins again.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from helpdesk.customers.models import Customer
from helpdesk.demo import data
from helpdesk.demo.loader import already_loaded, load
from helpdesk.demo.plan import build_plan
from helpdesk.orders.models import Order
from helpdesk.tickets.models import OPEN_STATUSES, Message, Ticket
from helpdesk.timeline.models import TimelineEntry


class Command(BaseCommand):
    help = "Load demo data: staff, stores, customers, orders and tickets on every channel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=data.DEFAULT_SIZE,
                            help=f"number of known customers (default {data.DEFAULT_SIZE})")

    def handle(self, *args, size: int, **options) -> None:
        if size < 1 or size > 5000:
            raise CommandError("--size must be between 1 and 5000")
        if already_loaded():
            self.stdout.write("demo data already loaded")
        else:
            started = time.monotonic()
            load(build_plan(size, timezone.now()))
            self.stdout.write(self.style.SUCCESS(
                f"demo data loaded in {time.monotonic() - started:.1f}s: {self._counts()}"
            ))
        self._print_logins()

    def _counts(self) -> str:
        counts = {
            "customers": Customer.objects.count(), "orders": Order.objects.count(),
            "tickets": Ticket.objects.count(),
            "open tickets": Ticket.objects.filter(status__in=OPEN_STATUSES).count(),
            "messages": Message.objects.count(), "timeline entries": TimelineEntry.objects.count(),
        }
        return ", ".join(f"{value} {name}" for name, value in counts.items())

    def _print_logins(self) -> None:
        self.stdout.write("Demo logins (username / password):")
        self.stdout.write(f"  {data.ADMIN_USERNAME} / {data.ADMIN_PASSWORD}  administrator "
                          "(unless an admin account existed before the demo was loaded)")
        for person in data.STAFF:
            if person.password:
                self.stdout.write(f"  {person.username} / {person.password}  "
                                  f"{person.name}, {person.role.replace('_', ' ')}")
