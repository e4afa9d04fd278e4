"""The duty, tax and shipping rules are read once per process and version, then derived per day and destination."""

import datetime as dt
from decimal import Decimal

import pytest

from landed_cost import calculator as lc
from landed_cost.models import TaxRate
from landed_cost.selectors import Parcel, quote_lines
from shop.selectors import fx_table_get

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 25)
LINE = lc.QuoteLine(key="SKU", hs_code="640391", origin="CN", quantity=1, unit_price=Decimal("200.00"))


def quote(destination):
    return quote_lines(destination=destination, currency="EUR", lines=[LINE], parcels=[Parcel(Decimal("1.2"))],
                       on=ON, fx=fx_table_get(on=ON))


def test_rule_tables_are_read_once_per_version(rates, django_assert_num_queries):
    fx_table_get(on=ON)
    with django_assert_num_queries(7):  # the FX version, the rules version, then the five rule tables
        assert quote("DE").tax_rate == Decimal("0.19")
    with django_assert_num_queries(2):  # the two versions only
        assert quote("DE").tax_rate == Decimal("0.19")
    with django_assert_num_queries(2):  # another destination is derived from the rows kept
        assert quote("FR").tax_rate == Decimal("0.20")

    TaxRate.objects.filter(country="DE").update(rate=Decimal("0.21"))
    with django_assert_num_queries(7):
        assert quote("DE").tax_rate == Decimal("0.21")
