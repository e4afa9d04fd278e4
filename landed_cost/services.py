"""Loading the dated duty, tax, FX and shipping rules from the reviewed data file."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from config.errors import InvalidInput
from landed_cost.models import RULE_FILE_MODELS


@transaction.atomic
def customs_rules_load(*, path: Path) -> dict[str, int]:
    """Replace the rule tables with the file's rows (all or nothing). Rows are dated, so replacing
    keeps history as long as the file does: the file is the reviewed source of truth."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"Cannot read the rules file: {exc}") from exc
    counts = {}
    errors: dict[str, list[str]] = {}
    for key, model in RULE_FILE_MODELS.items():
        model.objects.all().delete()
        rows = []
        for index, row in enumerate(document.get(key, [])):
            try:
                obj = model(**row)
                obj.full_clean()
                rows.append(obj)
            except Exception as exc:  # noqa: BLE001 - every bad row is reported, none is loaded
                errors[f"{key}[{index}]"] = [str(exc)[:300]]
        model.objects.bulk_create(rows)
        counts[key] = len(rows)
    if errors:
        raise InvalidInput("The rules file has invalid rows; nothing was loaded.", fields=errors)
    return counts

