import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from shop.models import (
    BrandTranslation,
    CatalogTerm,
    CategoryTranslation,
    FxRate,
    Manufacturer,
    Material,
    Price,
    Product,
    ProductTranslation,
    StockLevel,
    Variant,
)
from shop.selectors import fx_table_get
from shop.translations import product_missing_languages, products_with_translated_languages
from tests.shop.factories import BrandFactory, ManufacturerFactory, category_create, priced_variant

pytestmark = pytest.mark.django_db


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_fx_rates_creates_then_updates(tmp_path):
    path = write(tmp_path, "fx.csv", "base,quote,rate,as_of,source\nUSD,EUR,0.86,2026-11-20,ECB demo\n"
                                     "USD,JPY,150,2026-11-20,ECB demo\n")
    out = StringIO()
    call_command("load_fx_rates", str(path), stdout=out)
    assert "2 created, 0 updated" in out.getvalue()
    write(tmp_path, "fx.csv", "base,quote,rate,as_of,source\nUSD,EUR,0.87,2026-11-20,ECB demo\n")
    call_command("load_fx_rates", str(path), stdout=out)
    assert FxRate.objects.get(base="USD", quote="EUR").rate == Decimal("0.87")
    assert FxRate.objects.count() == 2


def test_load_fx_rates_with_a_bad_row_loads_nothing(tmp_path):
    path = write(tmp_path, "fx.csv", "base,quote,rate,as_of,source\nUSD,EUR,0.86,2026-11-20,ok\n"
                                     "USD,XXX,1,2026-11-20,bad currency\nUSD,GBP,-1,2026-13-01,\n")
    with pytest.raises(CommandError) as err:
        call_command("load_fx_rates", str(path))
    message = str(err.value)
    assert "line 3: unknown currency 'XXX'" in message
    assert "line 4:" in message and "not a positive number" in message and "YYYY-MM-DD" in message
    assert FxRate.objects.count() == 0


def test_fx_rate_in_force_is_the_newest_on_or_before_the_day():
    FxRate.objects.create(base="USD", quote="EUR", rate=Decimal("0.80"), as_of=dt.date(2026, 1, 1), source="a")
    FxRate.objects.create(base="USD", quote="EUR", rate=Decimal("0.90"), as_of=dt.date(2026, 6, 1), source="b")
    assert fx_table_get(on=dt.date(2026, 5, 31)).quote("USD", "EUR").rate == Decimal("0.80")
    assert fx_table_get(on=dt.date(2026, 6, 1)).quote("USD", "EUR").rate == Decimal("0.90")
    inverse = fx_table_get(on=dt.date(2026, 6, 1)).quote("EUR", "USD")
    assert inverse.rate == Decimal("1.1111111111")
    assert "b (USD/EUR 2026-06-01)" in inverse.source


def test_demo_data_is_believable_and_idempotent(api_client):
    out = StringIO()
    call_command("demo_data", stdout=out)
    counts = (Manufacturer.objects.count(), Product.objects.count(), Variant.objects.count(),
              StockLevel.objects.count(), Price.objects.count(), ProductTranslation.objects.count(),
              CategoryTranslation.objects.count(), BrandTranslation.objects.count(), CatalogTerm.objects.count())
    assert counts[0] == 3
    assert 55 <= counts[1] <= 65
    assert counts[3] == 2 * counts[2]  # stock in two warehouses
    call_command("demo_data", stdout=out)
    assert counts == (Manufacturer.objects.count(), Product.objects.count(), Variant.objects.count(),
                      StockLevel.objects.count(), Price.objects.count(), ProductTranslation.objects.count(),
                      CategoryTranslation.objects.count(), BrandTranslation.objects.count(),
                      CatalogTerm.objects.count())
    for maker in Manufacturer.objects.all():
        maker.full_clean()  # customs codes carry valid check characters
    assert set(Product.objects.values_list("category__slug", flat=True)) == {
        "leather-boots", "loafers", "sneakers", "cycling-jerseys"}

    # Every market's language, for every product, category and brand.
    assert [p.slug for p in products_with_translated_languages(Product.objects.all())
            if product_missing_languages(p)] == []
    assert ProductTranslation.objects.filter(description="").count() == 0
    assert CategoryTranslation.objects.filter(language="zh").count() == CategoryTranslation.objects.filter(
        language="de").count() == 7
    assert BrandTranslation.objects.filter(language="ja", brand__slug="ridgeline").get().name == "リッジライン"
    for material in Material.values:
        assert CatalogTerm.objects.filter(kind="material", key=material).count() == 8
    boots = [api_client.get(reverse("shop:category-list"), {"lang": lang}).json() for lang in
             ("de", "fr", "es", "it", "ja", "ko")]
    assert [next(c["name"] for c in body if c["slug"] == "boots") for body in boots] == [
        "Stiefel", "Bottes", "Botas", "Stivali", "ブーツ", "부츠"]
    chelsea = reverse("shop:product-detail", args=["ouhai-heritage-chelsea-boot"])
    body = api_client.get(chelsea, {"lang": "de", "currency": "USD"}).json()
    assert (body["name"], body["language"], body["fallback"]) == ("Ouhai Heritage Chelsea-Boots", "de", False)
    assert body["description"] == "Gefertigt in unserer Fabrik in Wenzhou. Obermaterial: Leder."
    assert (body["upper_material_name"], body["outer_sole_material_name"]) == ("Leder", "Gummi oder Kunststoff")
    assert {v["colour_name"] for v in body["variants"]} == {"Schwarz", "Hellbraun"}
    body = api_client.get(chelsea, {"lang": "fr", "currency": "USD"}).json()
    assert body["description"] == "Fabrication dans notre usine de Wenzhou. Tige : cuir."


PRODUCT_HEADER = ("slug,name,manufacturer,brand,category,upper_material,gender,country_of_origin,hs_code,"
                  "cn_commodity_code,legal_unit1,legal_unit2,is_active,covers_ankle\n")


@pytest.fixture
def maker():
    category_create("shoes")
    maker = ManufacturerFactory(slug="acme")
    BrandFactory(manufacturer=maker, slug="acme-brand")
    return maker


def test_catalog_import_command_creates_rows_with_progress(tmp_path, maker):
    path = write(tmp_path, "p.csv", PRODUCT_HEADER + "".join(
        f"boot-{i},Boot {i},acme,acme-brand,shoes,leather,men,CN,640391,6403911900,025,035,1,1\n" for i in range(5)))
    out, err = StringIO(), StringIO()
    call_command("catalog_import", "products", str(path), "--chunk-size", "2", stdout=out, stderr=err)
    assert "Imported 5 products rows (5 new)" in out.getvalue()
    assert "5/5" in err.getvalue()  # the progress bar reached the end
    assert Product.objects.filter(manufacturer=maker).count() == 5


def test_catalog_import_dry_run_writes_nothing(tmp_path, maker):
    path = write(tmp_path, "p.csv", PRODUCT_HEADER +
                 "boot-1,Boot,acme,acme-brand,shoes,leather,men,CN,640391,6403911900,025,035,1,1\n")
    out = StringIO()
    call_command("catalog_import", "products", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "Dry run, nothing written" in out.getvalue()
    assert not Product.objects.exists()


def test_catalog_import_with_a_broken_row_writes_nothing_and_names_the_rows(tmp_path, maker):
    path = write(tmp_path, "p.csv", PRODUCT_HEADER +
                 "boot-1,Boot,acme,acme-brand,shoes,leather,men,CN,640391,6403911900,025,035,1,1\n"
                 "boot-2,Boot,acme,acme-brand,shoes,leather,men,CN,64039,6403911900,025,035,1,1\n"
                 "boot-3,Boot,acme,acme-brand,shoes,leather,men,CN,640391,6402911900,025,035,1,1\n")
    with pytest.raises(CommandError) as err:
        call_command("catalog_import", "products", str(path), stdout=StringIO(), stderr=StringIO())
    message = str(err.value)
    assert "line 3: hs_code:" in message
    assert "line 4: cn_commodity_code:" in message
    assert not Product.objects.exists()


def test_catalog_import_as_manufacturer_cannot_reach_other_rows(tmp_path, maker):
    other = priced_variant(sku="OTHER-1")
    path = write(tmp_path, "s.csv", f"sku,warehouse,on_hand\nOTHER-1,{other.stock_levels.get().warehouse.code},0\n")
    with pytest.raises(CommandError, match="No variant 'OTHER-1' of yours"):
        call_command("catalog_import", "stock", str(path), "--manufacturer", "acme", stdout=StringIO(),
                     stderr=StringIO())
    assert other.stock_levels.get().on_hand == 10


def test_duplicate_sku_is_refused_by_the_database():
    priced_variant(sku="DUP-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        priced_variant(sku="DUP-1")


@pytest.mark.parametrize(
    ("on_hand", "reserved"),
    [(-1, 0), (5, -1), (3, 4)],
)
def test_stock_constraints_hold_in_the_database(on_hand, reserved):
    level = priced_variant().stock_levels.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(pk=level.pk).update(on_hand=on_hand, reserved=reserved)
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (10, 0)


def test_negative_price_and_bad_hs_code_are_refused_by_the_database():
    variant = priced_variant()
    with pytest.raises(IntegrityError), transaction.atomic():
        Price.objects.filter(variant=variant).update(amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=variant.product_id).update(hs_code="64039")
