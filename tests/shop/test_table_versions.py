"""The FX table is kept per process and read again as soon as any FX row is written, by any path."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from shop.errors import FxRateUnavailable
from shop.models import FxRate, TableVersion
from shop.selectors import fx_table_get
from shop.services import fx_rates_load
from shop.table_versions import table_version
from tests.shop.factories import FxRateFactory

DAY = dt.date(2026, 11, 20)


def usd_eur() -> Decimal:
    return fx_table_get(on=DAY).quote("USD", "EUR").rate


@pytest.mark.django_db
def test_the_fx_table_is_read_once_then_only_its_version(django_assert_num_queries):
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=DAY)
    with django_assert_num_queries(2):  # the version, then the rows
        assert usd_eur() == Decimal("0.86")
    with django_assert_num_queries(1):  # the version only
        assert usd_eur() == Decimal("0.86")
    assert fx_table_get(on=DAY) is fx_table_get(on=DAY)


@pytest.mark.django_db
def test_every_kind_of_write_moves_the_version_and_the_next_read_sees_it(tmp_path):
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=DAY)
    assert usd_eur() == Decimal("0.86")
    versions = [table_version(name="fx_rates")]

    FxRate.objects.filter(base="USD", quote="EUR").update(rate=Decimal("0.90"))  # a queryset update
    assert usd_eur() == Decimal("0.90")
    versions.append(table_version(name="fx_rates"))

    rate = FxRate.objects.get(base="USD", quote="EUR")  # a model save, as the admin does
    rate.rate = Decimal("0.91")
    rate.save()
    assert usd_eur() == Decimal("0.91")
    versions.append(table_version(name="fx_rates"))

    csv = tmp_path / "fx.csv"  # the import
    csv.write_text("base,quote,rate,as_of,source\nUSD,EUR,0.92,2026-11-20,ECB\n")
    fx_rates_load(path=csv)
    assert usd_eur() == Decimal("0.92")
    versions.append(table_version(name="fx_rates"))

    FxRate.objects.all().delete()  # and a delete
    with pytest.raises(FxRateUnavailable):
        usd_eur()
    versions.append(table_version(name="fx_rates"))
    assert len(set(versions)) == len(versions)


@pytest.mark.django_db
def test_a_copy_read_inside_a_rolled_back_write_is_never_used_again():
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=DAY)
    assert usd_eur() == Decimal("0.86")
    with pytest.raises(RuntimeError), transaction.atomic():
        FxRate.objects.update(rate=Decimal("0.50"))
        assert usd_eur() == Decimal("0.50")  # this transaction sees its own write
        raise RuntimeError("rolled back")
    assert usd_eur() == Decimal("0.86")
    FxRate.objects.update(rate=Decimal("0.87"))  # the next write gets a number never handed out before
    assert usd_eur() == Decimal("0.87")


@pytest.mark.django_db
def test_without_a_version_row_nothing_is_kept(django_assert_num_queries):
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=DAY)
    TableVersion.objects.filter(name="fx_rates").delete()
    for _ in range(2):
        with django_assert_num_queries(2):
            assert usd_eur() == Decimal("0.86")


@pytest.mark.django_db(transaction=True)
def test_a_rate_committed_by_another_connection_is_used_by_the_very_next_read():
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=DAY)
    assert usd_eur() == Decimal("0.86")

    def elsewhere():  # another process's connection, committing on its own
        try:
            FxRate.objects.filter(base="USD", quote="EUR").update(rate=Decimal("0.95"))
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert usd_eur() == Decimal("0.95")
