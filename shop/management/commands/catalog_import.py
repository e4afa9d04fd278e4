from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from shop.models import Manufacturer
from shop.resources import RESOURCES


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = ("Import products, variants, prices or stock from CSV or XLSX, with a progress bar. "
            "The file is imported whole or not at all; --dry-run reports what would change.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument("--manufacturer", help="Slug: import as this manufacturer's staff would.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--chunk-size", type=int, default=200)

    def handle(self, *args, kind, path, manufacturer, dry_run, chunk_size, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        maker = None
        if manufacturer:
            maker = Manufacturer.objects.filter(slug=manufacturer).first()
            if maker is None:
                raise CommandError(f"No manufacturer {manufacturer!r}.")
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        mode = "rb" if fmt == "xlsx" else "r"
        with path.open(mode, **({} if fmt == "xlsx" else {"encoding": "utf-8-sig", "newline": ""})) as fh:
            try:
                dataset = tablib.Dataset().load(fh, format=fmt)
            except Exception as exc:  # noqa: BLE001 - tablib raises many kinds for a broken file
                raise CommandError(f"Cannot read {path} as {fmt}: {exc}") from exc

        resource = RESOURCES[kind](manufacturer=maker)
        totals: dict[str, int] = {}
        errors: list[str] = []
        try:
            with transaction.atomic():
                with tqdm(total=len(dataset), unit="row", desc=f"{kind}", file=self.stderr._out) as bar:
                    for start in range(0, len(dataset), chunk_size):
                        chunk = tablib.Dataset(*dataset[start:start + chunk_size], headers=dataset.headers)
                        result = resource.import_data(chunk, dry_run=False, use_transactions=False,
                                                      raise_errors=False, collect_failed_rows=True)
                        for row in result.invalid_rows:
                            line = start + row.number + 1  # + header line
                            for field, messages in row.field_specific_errors.items():
                                errors.append(f"line {line}: {field}: {'; '.join(messages)}")
                            for message in row.non_field_specific_errors:
                                errors.append(f"line {line}: {message}")
                        for number, row_errors in result.row_errors():
                            for error in row_errors:
                                errors.append(f"line {start + number + 1}: {error.error}")
                        for key, value in result.totals.items():
                            totals[key] = totals.get(key, 0) + value
                        bar.update(len(chunk))
                if errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        summary = ", ".join(f"{v} {k}" for k, v in totals.items() if v)
        if errors:
            raise CommandError("Nothing was imported; fix these rows:\n  " + "\n  ".join(errors))
        prefix = "Dry run, nothing written: would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {len(dataset)} {kind} rows ({summary or 'no changes'})."))
