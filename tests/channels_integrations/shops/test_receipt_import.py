"""Store receipts from a CSV: by command and by the web upload; bad rows reported, good rows kept."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from channels_integrations.shops.models import ReceiptImport
from helpdesk.customers.models import Customer, Identity
from helpdesk.orders.models import Order, OrderLine
from helpdesk.timeline.models import TimelineEntry
from tests.channels_integrations.shops.conftest import committed
from tests.channels_integrations.shops.receipts_csv import BAD, receipts_csv

pytestmark = pytest.mark.django_db


def _assert_imported_997():
    assert OrderLine.objects.filter(order__source="pos").count() == 997
    assert Order.objects.filter(source="pos").count() == 334
    # Every receipt belongs to the customer of its email or phone, one customer each.
    assert Customer.objects.count() == 334
    assert Identity.objects.count() == 334
    assert TimelineEntry.objects.filter(kind="order_placed").count() == 334


def test_command_imports_997_of_1000_rows_and_reports_the_3_bad_lines(tmp_path, store):
    path = tmp_path / "kassa.csv"
    path.write_text(receipts_csv())
    out, err = StringIO(), StringIO()
    call_command("import_receipts", "--store", "AMS1", str(path), stdout=out, stderr=err)
    assert "997 rows imported as 334 receipts" in out.getvalue()
    assert "3 bad rows" in out.getvalue()
    for line, (_, field) in BAD.items():
        assert f"line {line}: {field}" in err.getvalue()
    _assert_imported_997()
    job = ReceiptImport.objects.get()
    assert (job.status, job.imported_rows, job.bad_rows) == ("done", 997, 3)
    assert [e["line"] for e in job.errors] == sorted(BAD)


def test_a_second_import_updates_in_place_and_attaches_to_known_customers(tmp_path, store):
    known = Customer.objects.create(name="Vaste klant")
    Identity.objects.create(customer=known, kind="phone", value="+31610000000")
    path = tmp_path / "kassa.csv"
    path.write_text(receipts_csv())
    for _ in range(2):
        call_command(
            "import_receipts",
            "--store",
            "AMS1",
            str(path),
            "--no-progress",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert Order.objects.get(number="R00000").customer == known
    assert OrderLine.objects.count() == 997
    assert Order.objects.count() == 334


def test_command_refuses_an_unknown_store_and_a_file_without_the_columns(tmp_path, store):
    path = tmp_path / "kassa.csv"
    path.write_text("bon;datum\n1;2026-11-01\n")
    with pytest.raises(CommandError, match="No store with code 'XXX'"):
        call_command("import_receipts", "--store", "XXX", str(path))
    with pytest.raises(CommandError, match="missing: receipt_number, sold_at, title, quantity, unit_price"):
        call_command("import_receipts", "--store", "AMS1", str(path), "--no-progress", stderr=StringIO())
    assert Order.objects.count() == 0


def _upload(client, store, content: str):
    upload = SimpleUploadedFile("kassa.csv", content.encode(), content_type="text/csv")
    with committed():
        return client.post("/shops/receipts/import/", {"store": store.pk, "file": upload})


@pytest.mark.parametrize("who", ["daan", "fatima", "admin_user"])
def test_web_upload_imports_and_reports_progress_for_allowed_roles(client, store, who, request, eager):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get("/shops/receipts/import/")
    assert page.status_code == 200 and b"receipt_number" in page.content
    response = _upload(client, store, receipts_csv())
    assert response.status_code == 302
    job = ReceiptImport.objects.get()
    assert response["Location"] == f"/shops/receipts/import/{job.pk}/"
    status = client.get(f"/shops/receipts/import/{job.pk}/status/").json()
    assert (status["status"], status["percent"], status["imported_rows"], status["bad_rows"]) == (
        "done",
        100,
        997,
        3,
    )
    assert [(e["line"], e["reason"].split(":")[0]) for e in status["errors"]] == [
        (line, field) for line, (_, field) in sorted(BAD.items())
    ]
    detail = client.get(response["Location"])
    assert (
        detail.status_code == 200
        and b"<progress" in detail.content
        and b"Rows not imported" in detail.content
    )
    _assert_imported_997()
    assert job.uploaded_by == user


def test_web_upload_is_refused_to_agents_and_the_anonymous(client, store, sanne, eager):
    assert client.get("/shops/receipts/import/").status_code == 302  # to the login page
    client.force_login(sanne)
    assert client.get("/shops/receipts/import/").status_code == 403
    assert _upload(client, store, receipts_csv(10)).status_code == 403
    assert ReceiptImport.objects.count() == 0


def test_store_staff_import_only_for_their_own_store(client, store, other_store, daan, fatima, eager):
    client.force_login(daan)
    response = _upload(client, other_store, receipts_csv(10))
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert ReceiptImport.objects.count() == 0
    # An import of another store is out of reach: 404.
    client.force_login(fatima)
    _upload(client, other_store, receipts_csv(10))
    job = ReceiptImport.objects.get()
    client.force_login(daan)
    assert client.get(f"/shops/receipts/import/{job.pk}/").status_code == 404
    assert client.get(f"/shops/receipts/import/{job.pk}/status/").status_code == 404


def test_a_file_that_is_not_utf8_fails_with_a_clear_reason(client, store, fatima, eager):
    client.force_login(fatima)
    upload = SimpleUploadedFile(
        "kassa.csv",
        "receipt_number,sold_at,title,quantity,unit_price\nR1,2026-11-01,Ré,1,1\n".encode("latin-1"),
        content_type="text/csv",
    )
    with committed():
        client.post("/shops/receipts/import/", {"store": store.pk, "file": upload})
    job = ReceiptImport.objects.get()
    assert job.status == "failed" and "UTF-8" in job.detail
