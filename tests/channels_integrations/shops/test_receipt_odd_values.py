"""One odd value in a till export is a bad row with its line number; the rest is imported."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from channels_integrations.shops.models import ReceiptImport
from helpdesk.orders.models import Order, OrderLine

pytestmark = pytest.mark.django_db

HEADER = "receipt_number,sold_at,title,quantity,unit_price,email"
GOOD = "R{n},2026-11-01 10:00,Sjaal,1,39.95,klant{n}@example.nl"
# (row, the field the reason names)
ODD = [
    ("X1,2026-11-01 10:00,Sjaal,99999999999,39.95,x1@example.nl", "quantity"),
    ("X2,2026-11-01 10:00,Sjaal,1,1e20,x2@example.nl", "unit_price"),
    ("X3,2026-11-01 10:00,Sjaal,1,NaN,x3@example.nl", "unit_price"),
    ("X4,2026-11-01 10:00,Sjaal,1,-Infinity,x4@example.nl", "unit_price"),
    ("X5,2026-11-01 10:00,Sj\x00aal,1,39.95,x5@example.nl", "title"),
    ("X6,2026-11-01 10:00,Sjaal,1,10000000000,x6@example.nl", "unit_price"),
    ("X8,2026-02-30 10:00,Sjaal,1,39.95,x8@example.nl", "sold_at"),
    # Each line fits, the receipt's total does not: both of its lines are reported.
    ("X7,2026-11-01 10:00,Bank,2,6000000000.00,x7@example.nl", "total"),
    ("X7,2026-11-01 10:00,Stoel,1,5000000000.00,x7@example.nl", "total"),
]


def test_odd_values_are_bad_rows_and_the_good_rows_of_the_batch_are_kept(tmp_path, store, settings):
    settings.RECEIPT_IMPORT_BATCH = 1000  # every row in one batch
    rows = [GOOD.format(n=n) for n in range(3)] + [row for row, _ in ODD] + [GOOD.format(n=3)]
    path = tmp_path / "kassa.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    call_command(
        "import_receipts", "--store", "AMS1", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO()
    )
    job = ReceiptImport.objects.get()
    assert (job.status, job.imported_rows, job.receipts, job.bad_rows) == ("done", 4, 4, len(ODD))
    reported = [(e["line"], e["reason"].split(":")[0]) for e in job.errors]
    assert reported == [(line, field) for line, (_, field) in enumerate(ODD, start=5)]
    assert sorted(Order.objects.values_list("number", flat=True)) == ["R0", "R1", "R2", "R3"]
    assert OrderLine.objects.count() == 4


def test_the_largest_amount_the_database_holds_is_imported(tmp_path, store):
    path = tmp_path / "kassa.csv"
    path.write_text(f"{HEADER}\nR1,2026-11-01 10:00,Kassa,1,9999999999.99,klant@example.nl\n")
    call_command(
        "import_receipts", "--store", "AMS1", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO()
    )
    assert str(Order.objects.get().total) == "9999999999.99"


def test_a_receipt_the_database_refuses_is_reported_and_the_rest_of_its_batch_is_kept(tmp_path, store):
    """Whatever slips past the checks: the batch is written receipt by receipt instead."""
    with connection.cursor() as cursor:  # test-only, rolled back with the test's transaction
        cursor.execute(
            "CREATE FUNCTION test_refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'numeric field overflow' USING ERRCODE = '22003'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_refuse_line BEFORE INSERT ON {OrderLine._meta.db_table} "
            "FOR EACH ROW WHEN (NEW.title = 'Onmogelijk') EXECUTE FUNCTION test_refuse_line()"
        )
    rows = [GOOD.format(n=0), "R1,2026-11-01 10:00,Onmogelijk,1,1.00,k1@example.nl", GOOD.format(n=2)]
    path = tmp_path / "kassa.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    call_command(
        "import_receipts", "--store", "AMS1", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO()
    )
    job = ReceiptImport.objects.get()
    assert (job.status, job.imported_rows, job.bad_rows, job.processed_rows) == ("done", 2, 1, 3)
    assert job.errors[0]["line"] == 3 and "numeric field overflow" in job.errors[0]["reason"]
    assert sorted(Order.objects.values_list("number", flat=True)) == ["R0", "R2"]
