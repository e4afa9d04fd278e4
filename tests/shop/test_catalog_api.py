import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import services
from tests.shop.factories import (
    BrandFactory,
    FxRateFactory,
    ManufacturerFactory,
    PriceFactory,
    ProductFactory,
    StockLevelFactory,
    VariantFactory,
    category_create,
    priced_variant,
)
from tests.shop.statements import rendering_statements, uncached

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product-list")


def detail(slug):
    return reverse("shop:product-detail", kwargs={"slug": slug})


@pytest.fixture
def rates():
    day = dt.date(2026, 11, 20)
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.9200000000"), as_of=day)
    FxRateFactory(base="USD", quote="JPY", rate=Decimal("155.3000000000"), as_of=day)
    FxRateFactory(base="USD", quote="CNY", rate=Decimal("7.1000000000"), as_of=day)
    # An older EUR rate must not be used while a newer one is in force.
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.5000000000"), as_of=day - dt.timedelta(days=30))


def test_list_prices_in_requested_currency_rounded_to_its_minor_unit(api_client, rates):
    variant = priced_variant(amount="129.99")
    response = api_client.get(LIST, {"currency": "JPY"})
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["slug"] == variant.product.slug
    # 129.99 * 155.3 = 20187.447 -> 20187 JPY (no minor unit)
    assert item["from_price"] == {"amount": "20187", "currency": "JPY"}
    assert item["in_stock"] is True

    response = api_client.get(LIST, {"currency": "eur"})
    # 129.99 * 0.92 = 119.5908 -> 119.59 EUR, with the newest rate
    assert response.json()["results"][0]["from_price"] == {"amount": "119.59", "currency": "EUR"}


def test_cross_rate_through_pivot_currency(api_client, rates):
    maker = ManufacturerFactory(pricing_currency="CNY")
    priced_variant(amount="710.00", currency="CNY", product__manufacturer=maker)
    response = api_client.get(LIST, {"currency": "EUR"})
    # CNY->USD 1/7.1, USD->EUR 0.92: 710 CNY = 92.00 EUR
    assert response.json()["results"][0]["from_price"] == {"amount": "92.00", "currency": "EUR"}


def test_manufacturer_price_in_currency_overrides_conversion(api_client, rates):
    variant = priced_variant(amount="100.00")
    PriceFactory(variant=variant, currency="EUR", amount=Decimal("99.00"))
    services.product_listing_refresh(product_ids=[variant.product_id])
    body = api_client.get(detail(variant.product.slug), {"currency": "EUR"}).json()
    assert body["variants"][0]["price"] == {"amount": "99.00", "currency": "EUR"}
    assert body["from_price"] == {"amount": "99.00", "currency": "EUR"}
    [listed] = api_client.get(LIST, {"currency": "EUR"}).json()["results"]
    assert listed["from_price"] == {"amount": "99.00", "currency": "EUR"}
    # Dollar buyers still see the list price.
    [listed] = api_client.get(LIST, {"currency": "USD"}).json()["results"]
    assert listed["from_price"] == {"amount": "100.00", "currency": "USD"}


def test_detail_shows_variants_with_price_and_availability(api_client, rates):
    product = ProductFactory()
    v42 = priced_variant(amount="80.00", product=product, size_label="42", stock=None)
    StockLevelFactory(variant=v42, on_hand=5, reserved=2)
    StockLevelFactory(variant=v42, on_hand=4, reserved=0)
    v43 = priced_variant(amount="85.00", product=product, size_label="43", stock=None)
    StockLevelFactory(variant=v43, on_hand=3, reserved=3)
    priced_variant(amount="70.00", product=product, size_label="44", is_active=False)

    body = api_client.get(detail(product.slug)).json()

    assert [(v["sku"], v["available"], v["in_stock"], v["price"]["amount"]) for v in body["variants"]] == [
        (v42.sku, 7, True, "80.00"),
        (v43.sku, 0, False, "85.00"),
    ]
    assert body["from_price"] == {"amount": "80.00", "currency": "USD"}
    assert body["hs_code"] == "640391"


def test_inactive_products_and_manufacturers_are_hidden(api_client, rates):
    hidden = priced_variant(product__is_active=False).product
    closed = priced_variant(product__manufacturer__is_active=False).product
    visible = priced_variant().product
    slugs = [p["slug"] for p in api_client.get(LIST).json()["results"]]
    assert slugs == [visible.slug]
    for product in (hidden, closed):
        response = api_client.get(detail(product.slug))
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "not_found", "message": "No such product.", "fields": {}}}


def test_filters_category_subtree_brand_manufacturer_size_stock_search(api_client, rates):
    footwear = category_create("footwear")
    boots = category_create("boots", parent=footwear)
    jerseys = category_create("jerseys")
    boot = priced_variant(product__category=boots, product__name="Chelsea boot", size_label="43").product
    jersey = priced_variant(product__category=jerseys, product__name="Cycling jersey", size_label="M",
                            stock=0).product

    def slugs(**params):
        response = api_client.get(LIST, params)
        assert response.status_code == 200, response.json()
        return [p["slug"] for p in response.json()["results"]]

    assert slugs(category="footwear") == [boot.slug]
    assert slugs(category="boots") == [boot.slug]
    assert slugs(brand=jersey.brand.slug) == [jersey.slug]
    assert slugs(manufacturer=boot.manufacturer.slug) == [boot.slug]
    assert slugs(size="m") == [jersey.slug]
    assert slugs(in_stock="true") == [boot.slug]
    assert slugs(in_stock="false") == [jersey.slug]
    assert slugs(search="chelsea") == [boot.slug]
    assert slugs(search=boot.brand.name) == [boot.slug]


def test_price_range_applies_to_the_from_price_in_requested_currency(api_client, rates):
    cheap = priced_variant(amount="50.00").product  # 46.00 EUR
    dear = priced_variant(amount="200.00").product  # 184.00 EUR

    def slugs(**params):
        return sorted(p["slug"] for p in api_client.get(LIST, {"currency": "EUR", **params}).json()["results"])

    assert slugs(price_min="46.00") == sorted([cheap.slug, dear.slug])
    assert slugs(price_min="46.01") == [dear.slug]
    assert slugs(price_max="46.00") == [cheap.slug]
    assert slugs(price_min="100", price_max="184.00") == [dear.slug]


def test_ordering_by_price_and_name(api_client, rates):
    b = priced_variant(amount="90.00", product__name="B boot").product
    a = priced_variant(amount="120.00", product__name="A boot").product
    c = priced_variant(amount="60.00", product__name="C boot").product

    def slugs(ordering):
        return [p["slug"] for p in api_client.get(LIST, {"ordering": ordering}).json()["results"]]

    assert slugs("price") == [c.slug, b.slug, a.slug]
    assert slugs("-price") == [a.slug, b.slug, c.slug]
    assert slugs("name") == [a.slug, b.slug, c.slug]
    assert slugs("newest") == [c.slug, a.slug, b.slug]


def test_pagination(api_client, rates):
    for _ in range(5):
        priced_variant()
    body = api_client.get(LIST, {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"]
    response = api_client.get(LIST, {"page": 9})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"currency": "XXX"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"category": "no-such"}, "category"),
        ({"brand": "no-such"}, "brand"),
        ({"manufacturer": "no-such"}, "manufacturer"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_min": "abc"}, "price_min"),
        ({"price_min": "10", "price_max": "5"}, "price_max"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"ordering": "popularity"}, "ordering"),
        ({"page_size": "1000"}, "page_size"),
        ({"categroy": "boots"}, "categroy"),
    ],
)
def test_bad_query_parameters_get_a_400_in_the_error_shape(api_client, rates, params, field):
    priced_variant()
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in {"invalid", "unsupported_currency"}
    assert field in error["fields"]
    assert error["message"]


def test_missing_fx_rate_is_a_clear_error(api_client):
    priced_variant()
    response = api_client.get(LIST, {"currency": "GBP"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "fx_rate_unavailable"
    assert "USD to GBP" in response.json()["error"]["message"]


def test_categories_and_currencies(api_client, rates):
    footwear = category_create("footwear")
    category_create("boots", parent=footwear)
    assert api_client.get(reverse("shop:category-list")).json() == [
        {"slug": "footwear", "name": "Footwear", "language": "en", "fallback": False, "path": "footwear",
         "parent": None},
        {"slug": "boots", "name": "Boots", "language": "en", "fallback": False, "path": "footwear/boots",
         "parent": "footwear"},
    ]
    currencies = {c["code"]: c for c in api_client.get(reverse("shop:currency-list")).json()}
    assert currencies["JPY"]["exponent"] == 0
    assert Decimal(currencies["EUR"]["rate_from_default"]) == Decimal("0.92")
    assert currencies["GBP"]["rate_from_default"] is None


@pytest.mark.parametrize(("lang", "most"), [("en", 5), ("de", 5)])  # texts come with the page's statement
def test_list_query_count_is_flat_as_catalog_grows(api_client, rates, lang, most):
    def count_queries():
        cache.clear()  # count the uncached path both times
        uncached()
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(LIST, {"currency": "EUR", "page_size": 50, "lang": lang})
        assert response.status_code == 200
        return rendering_statements(ctx), len(response.json()["results"])

    brand = BrandFactory()
    for _ in range(3):
        priced_variant(product__brand=brand, product__manufacturer=brand.manufacturer)
    small, n_small = count_queries()
    for _ in range(20):
        product = ProductFactory()
        for size in ("40", "41", "42"):
            priced_variant(product=product, size_label=size)
    large, n_large = count_queries()
    assert (n_small, n_large) == (3, 23)
    assert small == large
    assert large <= most


def test_detail_query_count_is_flat_in_variants(api_client, rates):
    def count_queries(product):
        uncached()
        with CaptureQueriesContext(connection) as ctx:
            assert api_client.get(detail(product.slug)).status_code == 200
        return rendering_statements(ctx)

    one = priced_variant().product
    many = ProductFactory()
    for i in range(12):
        priced_variant(product=many, size_label=str(36 + i))
    count_queries(one)  # the process reads the catalog terms once, then only their version
    assert count_queries(one) == count_queries(many)


def test_variant_without_any_price_is_not_listed(api_client, rates):
    VariantFactory()
    assert api_client.get(LIST).json()["results"] == []


def test_a_cached_count_never_cuts_a_page_short(api_client, rates):
    priced_variant()
    assert api_client.get(LIST).json()["count"] == 1
    for _ in range(3):
        priced_variant()
    body = api_client.get(LIST).json()
    assert len(body["results"]) == 4  # the count may lag for a few seconds; the page does not
