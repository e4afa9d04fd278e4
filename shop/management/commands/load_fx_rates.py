from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import ApplicationError
from shop import services


class Command(BaseCommand):
    help = "Load FX rates from a CSV file with columns base,quote,rate,as_of,source. All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = services.fx_rates_load(path=path)
        except ApplicationError as exc:
            details = "\n".join(f"  {where}: {'; '.join(problems)}" for where, problems in exc.fields.items())
            raise CommandError(f"{exc.message}\n{details}") from exc
        self.stdout.write(self.style.SUCCESS(f"FX rates: {result.created} created, {result.updated} updated."))
