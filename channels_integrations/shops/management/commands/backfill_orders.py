"""manage.py backfill_orders <connection slug or id> [--since 2026-01-01]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_aware, make_aware

from channels_integrations.shops import services
from channels_integrations.shops.http import ShopApiError
from channels_integrations.shops.models import SecretMissing, ShopConnection


class Command(BaseCommand):
    help = (
        "Read a shop's orders through its REST API (Shopify Admin API or WooCommerce wc/v3) "
        "and store them; newer webhook data is never overwritten. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("connection", help="The shop connection's slug or id.")
        parser.add_argument("--since", help="Only orders changed since this date or time.")

    def handle(self, *args, connection: str, since: str | None, **options):
        found = ShopConnection.objects.filter(slug=connection).first() or (
            ShopConnection.objects.filter(pk=int(connection)).first() if connection.isdigit() else None
        )
        if found is None:
            raise CommandError(f"No shop connection {connection!r}.")
        when = None
        if since:
            when = parse_datetime(since) or (
                parse_datetime(since + "T00:00:00") if parse_date(since) else None
            )
            if when is None:
                raise CommandError(f"--since: not a date: {since!r}")
            when = when if is_aware(when) else make_aware(when)

        def progress(result) -> None:
            if result.fetched % 250 == 0:
                self.stderr.write(f"{result.fetched} orders read…")

        try:
            result = services.backfill(found, since=when, progress=progress)
        except (ShopApiError, SecretMissing) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{found.name}: {result.fetched} orders read, {result.written} written, "
            f"{result.stale} already newer here, {result.failed} unreadable."
        )
