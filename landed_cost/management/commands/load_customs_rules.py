from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import ApplicationError
from landed_cost.services import customs_rules_load


class Command(BaseCommand):
    help = "Load the dated customs, tax, FX and shipping rules from a JSON file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="?", default=Path("data/customs/rules-2026-11.json"))

    def handle(self, *args, path: Path, **options):
        try:
            counts = customs_rules_load(path=path)
        except ApplicationError as exc:
            details = "\n".join(f"  {k}: {'; '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message}\n{details}") from exc
        self.stdout.write(self.style.SUCCESS("Customs rules: " + ", ".join(f"{v} {k}" for k, v in counts.items())))
