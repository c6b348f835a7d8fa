"""`python -m bench.receipts`: import 100,000 store receipt lines; one JSON document.

Generates a till export (CSV, the columns of channels_integrations.shops.receipts) with
`--rows` lines, three lines per receipt on average, customers from a pool so that about
half the receipts are of a customer seen earlier in the file (or in an earlier run), a
tenth with a loyalty card and a few rows broken on purpose (`--bad`). Then imports it
into the database named by DATABASE_URL through the same code as
`manage.py import_receipts` (bulk writes, customers attached through their identities)
and prints {rows, seconds, rows_per_second, bad_rows, receipts, new_customers}.
The database keeps what was imported; every run uses its own store and receipt numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.receipts", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="receipt lines (default 100,000)")
    parser.add_argument("--bad", type=int, default=25, help="broken rows among them (default 25)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.rows < 1 or not 0 <= args.bad <= args.rows:
        parser.error("--rows must be at least 1 and --bad between 0 and --rows")
    return args


def write_csv(path: Path, *, rows: int, bad: int, seed: int, run: str) -> None:
    rng = random.Random(seed)
    pool = max(rows // 6, 1)  # about two receipts per customer
    broken = set(rng.sample(range(rows), bad))
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "receipt_number,sold_at,sku,title,quantity,unit_price,email,phone,loyalty_card,name,currency\n"
        )
        written, receipt = 0, 0
        while written < rows:
            receipt += 1
            person = rng.randrange(pool)
            email = f"bench{person}@example.nl" if person % 3 else ""
            phone = f"06{20000000 + person}" if person % 3 != 1 else ""
            card = f"LC{person:08d}" if person % 10 == 0 else ""
            when = f"2026-11-{1 + receipt % 28:02d} {9 + receipt % 9:02d}:{receipt % 60:02d}"
            for _ in range(rng.randint(1, 5)):
                if written >= rows:
                    break
                qty = "x" if written in broken else str(rng.randint(1, 3))
                sku = rng.randrange(500)
                out.write(
                    f"{run}-{receipt},{when},SKU-{sku},Artikel {sku},{qty},{sku % 90 + 0.95:.2f},"
                    f"{email},{phone},{card},Klant {person},EUR\n"
                )
                written += 1


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from agents.models import Store
    from channels_integrations.shops import receipts

    if not settings.IS_POSTGRES:
        sys.exit("bench.receipts measures PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", interactive=False, verbosity=0)
    run = uuid.uuid4().hex[:6].upper()
    store = Store.objects.create(name=f"Bench store {run}", code=f"B{run}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "receipts.csv"
        write_csv(path, rows=args.rows, bad=args.bad, seed=args.seed, run=run)
        print(f"importing {args.rows} rows into store {store.code}", file=sys.stderr)
        started = time.perf_counter()
        with path.open("rb") as binary:
            result = receipts.import_receipts(receipts.text_stream(binary), store=store)
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": result.total_rows,
                "seconds": round(seconds, 2),
                "rows_per_second": round(result.total_rows / seconds),
                "bad_rows": result.bad_rows,
                "imported_rows": result.imported_rows,
                "receipts": result.receipts,
                "new_customers": result.new_customers,
                "batch": settings.RECEIPT_IMPORT_BATCH,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
