"""manage.py import_receipts --store <code> FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from agents.models import Store
from channels_integrations.shops import receipts
from channels_integrations.shops.models import ImportStatus, ReceiptImport

HELP = f"""Import store receipts from a till export (CSV) as orders of the store's customers.

{receipts.__doc__.split(chr(10), 2)[2]}"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument("--store", required=True, help="The store's code (e.g. AMS1).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, file: Path, store: str, no_progress: bool, **options):
        shop = Store.objects.filter(code=store).first()
        if shop is None:
            known = ", ".join(Store.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"No store with code {store!r} (known: {known}).")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        job = ReceiptImport.objects.create(
            store=shop, filename=file.name[:255], status=ImportStatus.RUNNING, claimed_at=timezone.now()
        )
        bar = tqdm(total=_count_rows(file), unit="row", disable=no_progress, file=self.stderr._out)

        def progress(_result, rows: int) -> None:
            bar.update(rows)
            ReceiptImport.objects.filter(pk=job.pk).update(claimed_at=timezone.now())

        try:
            with file.open("rb") as binary:
                result = receipts.import_receipts(receipts.text_stream(binary), store=shop, progress=progress)
        except receipts.FILE_ERRORS as exc:
            receipts.job_finish(job, None, detail=receipts.file_error(exc))
            raise CommandError(job.detail) from exc
        except Exception as exc:
            # Never leave the job 'running': say why it stopped, then let the error show.
            receipts.job_finish(job, None, detail=f"The import stopped: {exc}")
            raise
        finally:
            bar.close()
        receipts.job_finish(job, result)
        for error in result.errors:
            self.stderr.write(f"line {error['line']}: {error['reason']}")
        self.stdout.write(
            f"{result.imported_rows} rows imported as {result.receipts} receipts "
            f"({result.new_customers} new customers); {result.bad_rows} bad rows; "
            f"{result.skipped_rows} rows without customer details skipped. Import #{job.pk}."
        )


def _count_rows(file: Path) -> int:
    with file.open("rb") as f:
        return max(sum(1 for _ in f) - 1, 0)
