import datetime as dt
from decimal import Decimal

import pytest

from tests.shop.factories import FxRateFactory


@pytest.fixture
def rates():
    day = dt.date(2026, 11, 20)
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.8600000000"), as_of=day)
    FxRateFactory(base="USD", quote="JPY", rate=Decimal("150"), as_of=day)
    FxRateFactory(base="USD", quote="CNY", rate=Decimal("7.10"), as_of=day)


@pytest.fixture(autouse=True)
def customs_rules(db):
    """The dated customs, tax and shipping rules the project ships (data/customs)."""
    from pathlib import Path

    from django.conf import settings

    from landed_cost.selectors import customs_rules_load

    customs_rules_load(path=Path(settings.BASE_DIR) / "data" / "customs" / "rules-2026-11.json")
