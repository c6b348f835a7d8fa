"""Store receipts from a till export (CSV) into orders of the store's customers.

Columns (header row required, any order, comma or semicolon separated, UTF-8):

    receipt_number  required  the till's receipt number; rows with the same number are one receipt
    sold_at         required  2026-11-01T10:00:00+01:00, 2026-11-01 10:00 (store time) or 2026-11-01
    title           required  the article as printed on the receipt
    quantity        required  whole number, not 0 (negative for an item taken back)
    unit_price      required  e.g. 89.95 (a decimal comma is accepted: 89,95)
    sku             optional  article code
    email           optional  the customer's email address
    phone           optional  the customer's phone number (without country code: DEFAULT_PHONE_REGION)
    loyalty_card    optional  the customer's loyalty card number
    name            optional  the customer's name (used when the customer is new)
    currency        optional  ISO code, default EUR

A receipt attaches to the customer known by its loyalty card, email or phone, else a new
customer is created. A receipt without any of the three is counted as skipped (there is
nobody to show it to). A bad row is reported with its line number and reason; the good
rows are kept. Importing the same file again updates the receipts in place.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, OperationalError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from agents.models import Store
from channels_integrations.shops.models import ImportStatus, ReceiptImport
from helpdesk.customers.identities import (
    InvalidIdentity,
    normalise_email,
    normalise_loyalty_card,
    normalise_phone,
)
from helpdesk.orders.bulk import BulkOrder, orders_bulk_upsert
from helpdesk.orders.services import LineData, OrderData

logger = logging.getLogger(__name__)

SOURCE = "pos"
REQUIRED = ("receipt_number", "sold_at", "title", "quantity", "unit_price")
OPTIONAL = ("sku", "email", "phone", "loyalty_card", "name", "currency")
MAX_ERRORS_KEPT = 500
# Amounts are stored with 12 digits, 2 of them after the point; quantities as 32-bit numbers.
MAX_AMOUNT = Decimal(10) ** 10
MAX_QUANTITY = 1_000_000


class ReceiptFileError(ValueError):
    """The file as a whole cannot be read (not CSV, missing columns): nothing is imported."""


class BadRow(ValueError):
    pass


@dataclass
class Receipt:
    number: str
    sold_at: datetime
    currency: str
    email: str = ""
    phone: str = ""
    loyalty_card: str = ""
    name: str = ""
    lines: list[LineData] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    row_count: int = 0

    @property
    def total(self) -> Decimal:
        return sum((line.price * line.quantity for line in self.lines), Decimal("0"))


@dataclass
class ImportResult:
    total_rows: int = 0
    processed_rows: int = 0
    imported_rows: int = 0
    receipts: int = 0
    skipped_rows: int = 0
    new_customers: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len(self.errors)


@lru_cache(maxsize=65536)
def _email(value: str) -> str:
    return normalise_email(value)


@lru_cache(maxsize=65536)
def _phone(value: str) -> str:
    return normalise_phone(value)


def _identity(normalise, value: str, what: str) -> str:
    if not value:
        return ""
    try:
        return normalise(value)
    except InvalidIdentity as exc:
        raise BadRow(f"{what}: {exc}") from exc


def _sold_at(value: str) -> datetime:
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)):
            parsed = datetime.combine(day, time(0))
    except ValueError as exc:  # well formed but no such moment: 2026-02-30
        raise BadRow(f"sold_at: not a date and time: {value!r}") from exc
    if parsed is None:
        raise BadRow(f"sold_at: not a date and time: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _decimal(value: str, name: str) -> Decimal:
    """An amount the database can hold (12 digits, 2 after the point), else a bad row."""
    try:
        amount = Decimal(value.replace(",", "."))
        if not amount.is_finite():
            raise BadRow(f"{name}: not an amount: {value!r}")
        amount = amount.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise BadRow(f"{name}: not an amount: {value!r}") from exc
    if abs(amount) >= MAX_AMOUNT:
        raise BadRow(f"{name}: too large: {value!r}")
    return amount


def _quantity(value: str) -> int:
    try:
        quantity = int(value)
    except ValueError as exc:
        raise BadRow(f"quantity: not a whole number: {value!r}") from exc
    if quantity == 0:
        raise BadRow("quantity: must not be 0")
    if abs(quantity) > MAX_QUANTITY:
        raise BadRow(f"quantity: more than {MAX_QUANTITY}: {value!r}")
    return quantity


def _field(row: dict, name: str, length: int, required: bool = False) -> str:
    value = (row.get(name) or "").strip()
    if required and not value:
        raise BadRow(f"{name}: missing")
    if len(value) > length:
        raise BadRow(f"{name}: longer than {length} characters")
    if "\x00" in value:
        raise BadRow(f"{name}: contains a NUL character")
    return value


def _add_row(receipts: dict[str, Receipt], row: dict, line_number: int) -> None:
    number = _field(row, "receipt_number", 64, required=True)
    line = LineData(
        title=_field(row, "title", 255, required=True),
        sku=_field(row, "sku", 64),
        quantity=_quantity(_field(row, "quantity", 12, required=True)),
        price=_decimal(_field(row, "unit_price", 16, required=True), "unit_price"),
    )
    sold_at = _sold_at(_field(row, "sold_at", 40, required=True))
    currency = (_field(row, "currency", 3) or "EUR").upper()
    if not currency.isalpha() or len(currency) != 3:
        raise BadRow(f"currency: not an ISO code: {currency!r}")
    email = _identity(_email, _field(row, "email", 254), "email")
    phone = _identity(_phone, _field(row, "phone", 32), "phone")
    card = _identity(normalise_loyalty_card, _field(row, "loyalty_card", 64), "loyalty_card")
    receipt = receipts.get(number)
    if receipt is None:
        receipt = receipts[number] = Receipt(number=number, sold_at=sold_at, currency=currency)
    # The first row that gives a customer detail gives it for the whole receipt.
    receipt.email = receipt.email or email
    receipt.phone = receipt.phone or phone
    receipt.loyalty_card = receipt.loyalty_card or card
    receipt.name = receipt.name or _field(row, "name", 200)
    receipt.lines.append(line)
    receipt.line_numbers.append(line_number)
    receipt.row_count += 1


def read_receipts(stream: Iterable[str], result: ImportResult) -> dict[str, Receipt]:
    """Every good row grouped by receipt number; bad rows go to result.errors."""
    lines = iter(stream)
    header = next(lines, "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = [
        c.strip().lower().lstrip("\ufeff") for c in next(csv.reader([header], delimiter=delimiter), [])
    ]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ReceiptFileError(
            f"The first row must name the columns; missing: {', '.join(missing)}. "
            f"Required: {', '.join(REQUIRED)}; optional: {', '.join(OPTIONAL)}."
        )
    reader = csv.DictReader(lines, fieldnames=columns, delimiter=delimiter)
    receipts: dict[str, Receipt] = {}
    for row in reader:
        line_number = reader.line_num + 1  # the header was line 1
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank line
        result.total_rows += 1
        try:
            if None in row:
                raise BadRow("more fields than columns in the header")
            _add_row(receipts, row, line_number)
        except BadRow as exc:
            result.errors.append({"line": line_number, "reason": str(exc)})
    _drop_overflowing(receipts, result)
    return receipts


def _drop_overflowing(receipts: dict[str, Receipt], result: ImportResult) -> None:
    """A receipt whose total the database cannot hold is bad as a whole, each row reported."""
    for number, receipt in list(receipts.items()):
        if abs(receipt.total) < MAX_AMOUNT:
            continue
        del receipts[number]
        reason = f"total: receipt {number} adds up to more than the largest amount ({MAX_AMOUNT - 1})"
        result.errors.extend({"line": line, "reason": reason} for line in receipt.line_numbers)
    result.errors.sort(key=lambda error: error["line"])


def import_receipts(
    stream: Iterable[str], *, store: Store, progress: Callable[[ImportResult, int], None] | None = None
) -> ImportResult:
    """Read the whole file, then write it in batches; `progress(result, rows_just_done)`."""
    result = ImportResult()
    receipts = read_receipts(stream, result)
    result.processed_rows = result.bad_rows
    if progress:
        progress(result, result.bad_rows)
    batch: list[Receipt] = []
    for receipt in receipts.values():
        batch.append(receipt)
        if len(batch) >= settings.RECEIPT_IMPORT_BATCH:
            _write(batch, store, result, progress)
            batch = []
    _write(batch, store, result, progress)
    return result


def _write(batch: list[Receipt], store: Store, result: ImportResult, progress) -> None:
    storable = [r for r in batch if r.email or r.phone or r.loyalty_card]
    try:
        result.new_customers += orders_bulk_upsert([_bulk_order(r, store) for r in storable]).new_customers
        written = storable
    except OperationalError:
        raise
    except DatabaseError as exc:
        # A value the checks above let through and the database refuses must not cost the
        # other receipts of the batch: write them one by one, the refused one is a bad row.
        logger.warning("receipt batch refused (%s); writing its receipts one by one", exc)
        written = _write_one_by_one(storable, store, result)
    rows = sum(r.row_count for r in batch)
    refused_rows = sum(r.row_count for r in storable) - sum(r.row_count for r in written)
    result.receipts += len(written)
    result.imported_rows += sum(r.row_count for r in written)
    result.skipped_rows += rows - sum(r.row_count for r in storable)
    result.processed_rows += rows
    if progress and batch:
        progress(result, rows)
    if refused_rows:
        result.errors.sort(key=lambda error: error["line"])


def _write_one_by_one(receipts: list[Receipt], store: Store, result: ImportResult) -> list[Receipt]:
    written = []
    for receipt in receipts:
        try:
            result.new_customers += orders_bulk_upsert([_bulk_order(receipt, store)]).new_customers
        except OperationalError:
            raise
        except DatabaseError as exc:
            reason = f"receipt {receipt.number}: the database refused it: {str(exc).splitlines()[0]}"
            result.errors.extend({"line": line, "reason": reason} for line in receipt.line_numbers)
            continue
        written.append(receipt)
    return written


def _bulk_order(r: Receipt, store: Store) -> BulkOrder:
    data = OrderData(
        source=SOURCE,
        external_id=f"{store.code}:{r.number}"[:128],
        number=r.number,
        placed_at=r.sold_at,
        status="paid",
        email=r.email,
        phone=r.phone,
        customer_name=r.name,
        store_id=store.pk,
        total=r.total,
        currency=r.currency,
        lines=tuple(r.lines),
    )
    return BulkOrder(data=data, loyalty_card=r.loyalty_card)


def text_stream(binary) -> io.TextIOWrapper:
    """A text view of an uploaded or opened file; Excel's byte-order mark is dropped."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def receipt_import_start(*, store: Store, upload: UploadedFile, user) -> ReceiptImport:
    """Store an uploaded file as a queued import job and queue its run after commit."""
    from channels_integrations.shops.tasks import import_receipts_task

    job = ReceiptImport.objects.create(
        store=store, uploaded_by=user, filename=upload.name[:255], file=upload
    )
    import_receipts_task.delay_on_commit(job.pk)
    return job


def _claim(import_id: int) -> bool:
    """Take a queued job, or one whose worker went quiet for RECEIPT_IMPORT_CLAIM_AFTER (it
    died): one conditional UPDATE, so two workers never run the same job at once."""
    now = timezone.now()
    abandoned = Q(status=ImportStatus.RUNNING, claimed_at__lt=now - settings.RECEIPT_IMPORT_CLAIM_AFTER)
    return bool(
        ReceiptImport.objects.filter(Q(status=ImportStatus.QUEUED) | abandoned, pk=import_id).update(
            status=ImportStatus.RUNNING, claimed_at=now
        )
    )


def import_run(import_id: int) -> str:
    """Run a stored import job (the web upload's Celery task), keeping its progress current."""
    if not _claim(import_id):
        return "skipped"
    job = ReceiptImport.objects.select_related("store").get(pk=import_id)

    def progress(result: ImportResult, _rows: int) -> None:
        ReceiptImport.objects.filter(pk=job.pk).update(
            total_rows=result.total_rows, processed_rows=result.processed_rows, claimed_at=timezone.now()
        )

    try:
        with job.file.open("rb") as binary:
            result = import_receipts(text_stream(binary), store=job.store, progress=progress)
    except FILE_ERRORS as exc:
        job_finish(job, None, detail=file_error(exc))
        return ImportStatus.FAILED
    except Exception as exc:
        logger.exception("receipt import %s failed", job.pk)
        job_finish(job, None, detail=f"The import stopped: {exc}")
        raise
    job_finish(job, result)
    return ImportStatus.DONE


def imports_requeue_stuck(*, older_than: timedelta) -> int:
    """Queue again imports whose task was lost: queued, or running without progress, for
    longer than `older_than`; returns how many were queued."""
    from channels_integrations.shops.tasks import import_receipts_task

    cutoff = timezone.now() - older_than
    stuck = ReceiptImport.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=cutoff)
        | Q(status=ImportStatus.RUNNING, claimed_at__lt=cutoff)
    )
    # A command-line import keeps no file: if its process died there is nothing to run again.
    stuck.filter(file="").update(
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        detail="The import stopped without finishing (its process ended); run it again.",
    )
    pks = list(stuck.exclude(file="").values_list("pk", flat=True))
    for pk in pks:
        import_receipts_task.delay_on_commit(pk)
    return len(pks)


# Errors about the file as a whole: the job fails with a reason the uploader can act on.
FILE_ERRORS = (ReceiptFileError, UnicodeDecodeError, csv.Error)


def file_error(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "The file is not UTF-8 text; export it from the till as CSV (UTF-8)."
    if isinstance(exc, csv.Error):
        return f"The file is not readable as CSV: {exc}"
    return str(exc)


def job_finish(job: ReceiptImport, result: ImportResult | None, *, detail: str = "") -> None:
    job.finished_at = timezone.now()
    job.detail = detail
    if result is None:
        job.status = ImportStatus.FAILED
    else:
        job.status = ImportStatus.DONE
        job.total_rows, job.processed_rows = result.total_rows, result.processed_rows
        job.imported_rows, job.receipts = result.imported_rows, result.receipts
        job.skipped_rows, job.bad_rows = result.skipped_rows, result.bad_rows
        job.errors = result.errors[:MAX_ERRORS_KEPT]
    if job.file:
        # The file holds customers' personal data; what was learnt from it is in the job.
        job.file.delete(save=False)
    job.save()
