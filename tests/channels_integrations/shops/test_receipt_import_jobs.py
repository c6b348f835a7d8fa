"""Receipt import jobs: limits on what is uploaded, never left 'running', the file removed after."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from channels_integrations.shops import receipts
from channels_integrations.shops.models import ReceiptImport
from channels_integrations.shops.tasks import requeue_stuck_receipt_imports
from helpdesk.orders.models import Order
from tests.channels_integrations.shops.conftest import committed
from tests.channels_integrations.shops.receipts_csv import receipts_csv

pytestmark = pytest.mark.django_db


def _post(client, store, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    with committed():
        return client.post("/shops/receipts/import/", {"store": store.pk, "file": upload})


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("kassa.xlsx", receipts_csv(3).encode(), b".csv or .txt"),
        ("kassa.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", b"not a text file"),
        ("kassa.csv", receipts_csv(50).encode(), b"larger than"),
    ],
)
def test_an_upload_too_big_or_not_csv_is_refused_and_nothing_is_stored(
    client, store, fatima, eager, settings, media_root, name, content, reason
):
    settings.RECEIPT_IMPORT_MAX_BYTES = 1000
    client.force_login(fatima)
    response = _post(client, store, name, content)
    assert response.status_code == 200 and reason in response.content
    assert ReceiptImport.objects.count() == 0
    assert not any(Path(media_root).rglob("*.*"))


def test_the_uploaded_file_is_removed_once_imported(client, store, fatima, eager, media_root):
    client.force_login(fatima)
    assert _post(client, store, "kassa.txt", receipts_csv(30).encode()).status_code == 302
    job = ReceiptImport.objects.get()
    assert (job.status, job.imported_rows, job.file.name) == ("done", 30, "")
    assert not any(Path(media_root).rglob("*.*"))


def test_a_file_that_fails_is_removed_too(client, store, fatima, eager, media_root):
    client.force_login(fatima)
    _post(client, store, "kassa.csv", b"bon;datum\n1;2026-11-01\n")
    assert ReceiptImport.objects.get().status == "failed"
    assert not any(Path(media_root).rglob("*.*"))


def _queued_job(store, fatima) -> ReceiptImport:
    upload = SimpleUploadedFile("kassa.csv", receipts_csv(9).encode(), content_type="text/csv")
    return receipts.receipt_import_start(store=store, upload=upload, user=fatima)  # its task is lost


def test_a_job_runs_once_and_a_running_one_only_when_its_worker_went_quiet(store, fatima, settings):
    job = _queued_job(store, fatima)
    ReceiptImport.objects.filter(pk=job.pk).update(status="running", claimed_at=timezone.now())
    assert receipts.import_run(job.pk) == "skipped"  # another worker holds it
    with time_machine.travel(timezone.now() + settings.RECEIPT_IMPORT_CLAIM_AFTER + timedelta(minutes=1)):
        assert receipts.import_run(job.pk) == "done"
        assert receipts.import_run(job.pk) == "skipped"
    assert Order.objects.count() == 3


def test_the_sweeper_runs_imports_whose_task_was_lost(store, fatima, settings, eager):
    job = _queued_job(store, fatima)
    with committed():
        assert requeue_stuck_receipt_imports.apply().get() == 0  # too recent
    later = timezone.now() + settings.RECEIPT_IMPORT_CLAIM_AFTER + timedelta(minutes=1)
    with time_machine.travel(later), committed():
        assert requeue_stuck_receipt_imports.apply().get() == 1
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 9)
    assert "requeue-receipt-imports" in settings.CELERY_BEAT_SCHEDULE


def test_a_command_import_whose_process_died_is_marked_failed_by_the_sweeper(store, settings):
    job = ReceiptImport.objects.create(store=store, status="running", claimed_at=timezone.now())
    with time_machine.travel(timezone.now() + settings.RECEIPT_IMPORT_CLAIM_AFTER + timedelta(minutes=1)):
        requeue_stuck_receipt_imports.apply().get()
    job.refresh_from_db()
    assert job.status == "failed" and "stopped without finishing" in job.detail


def test_a_command_import_of_a_broken_csv_fails_the_job_with_the_reason(tmp_path, store):
    path = tmp_path / "kassa.csv"
    huge = "x" * 200_000  # more than the csv module reads in one field
    path.write_text(f'receipt_number,sold_at,title,quantity,unit_price\nR1,2026-11-01,"{huge}",1,1\n')
    with pytest.raises(CommandError, match="not readable as CSV"):
        call_command("import_receipts", "--store", "AMS1", str(path), "--no-progress", stderr=StringIO())
    job = ReceiptImport.objects.get()
    assert job.status == "failed" and "field larger than field limit" in job.detail
