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
