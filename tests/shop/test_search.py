"""Search per language, ranking, facets and suggestions, against the search rows the database keeps."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.models import (
    Brand,
    CatalogTerm,
    Category,
    CategoryTranslation,
    Product,
    ProductSearch,
    ProductTranslation,
    StockLevel,
)
from shop.sizing import SYSTEMS, size_in_system
from tests.livestream.factories import live_deal_create
from tests.shop.factories import BrandFactory, FxRateFactory, ProductFactory, category_create, priced_variant
from tests.shop.statements import answers_dropped, rendering_statements

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product-list")
SUGGEST = reverse("shop:search-suggestions")


@pytest.fixture
def rates():
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.9200000000"), as_of=dt.date(2026, 11, 20))


@pytest.fixture
def catalog(rates):
    """Boots (a Chelsea boot translated into German, Japanese and Korean), a loafer and a sneaker."""
    footwear = category_create("footwear")
    boots = category_create("boots", parent=footwear)
    shoes = category_create("shoes", parent=footwear)
    CategoryTranslation.objects.create(category=boots, language="de", name="Stiefel")
    CategoryTranslation.objects.create(category=boots, language="ja", name="ブーツ")
    CatalogTerm.objects.create(kind="material", key="leather", language="de", text="Leder")
    CatalogTerm.objects.create(kind="colour", key="black", language="de", text="Schwarz")
    chelsea = priced_variant(amount="120.00", product__category=boots, product__name="Chelsea Boot",
                             product__description="Pull-on ankle boot with elastic sides.", colour="black",
                             width_class="E", size_label="42").product
    priced_variant(amount="120.00", product=chelsea, colour="brown", width_class="2E", size_label="43",
                   foot_length_mm=270, stock=0)
    ProductTranslation.objects.create(product=chelsea, language="de", name="Chelsea-Stiefel",
                                      description="Schlupfstiefel mit elastischen Seiten.")
    ProductTranslation.objects.create(product=chelsea, language="ja", name="チェルシーブーツ",
                                      description="サイドゴアのアンクルブーツ。")
    ProductTranslation.objects.create(product=chelsea, language="ko", name="첼시 부츠", description="앵클 부츠")
    loafer = priced_variant(amount="60.00", product__category=shoes, product__name="Penny Loafer",
                            product__description="Goes with a boot-cut trouser.", product__upper_material="textile",
                            colour="brown", width_class="E", size_label="42", stock=0).product
    sneaker = priced_variant(amount="45.00", product__category=shoes, product__name="Court Sneaker",
                             product__upper_material="synthetic", colour="white", width_class="D",
                             size_label="44").product
    return {"chelsea": chelsea, "loafer": loafer, "sneaker": sneaker, "boots": boots}


def slugs(api_client, **params):
    response = api_client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return [p["slug"] for p in response.json()["results"]]


def test_german_search_finds_the_translated_boot_and_the_category_word(api_client, catalog):
    chelsea = catalog["chelsea"]
    assert slugs(api_client, lang="de", search="Stiefel") == [chelsea.slug]
    assert slugs(api_client, lang="de", search="stiefeln") == [chelsea.slug]  # German stemming: plural
    assert slugs(api_client, lang="de", search="Leder Stiefel") == [chelsea.slug]  # the material term in German
    # English (the base language) matches whatever the buyer's language: a German buyer typing "boot".
    assert slugs(api_client, lang="de", search="chelsea boots") == [chelsea.slug]
    # The same German word means nothing in English.
    assert slugs(api_client, lang="en", search="Stiefel") == []


def test_french_spanish_italian_use_their_stemmers(api_client, catalog):
    sneaker = catalog["sneaker"]
    ProductTranslation.objects.create(product=sneaker, language="fr", name="Baskets de course")
    ProductTranslation.objects.create(product=sneaker, language="es", name="Zapatillas deportivas")
    ProductTranslation.objects.create(product=sneaker, language="it", name="Scarpe sportive")
    assert slugs(api_client, lang="fr", search="basket") == [sneaker.slug]
    assert slugs(api_client, lang="es", search="zapatilla deportiva") == [sneaker.slug]
    assert slugs(api_client, lang="it", search="scarpa") == [sneaker.slug]
    assert slugs(api_client, lang="de", search="scarpa") == []  # Italian text only in the Italian rows


def test_japanese_and_korean_match_by_characters(api_client, catalog):
    chelsea = catalog["chelsea"]
    assert slugs(api_client, lang="ja", search="ブーツ") == [chelsea.slug]
    assert slugs(api_client, lang="ja", search="チェルシー") == [chelsea.slug]
    assert slugs(api_client, lang="ko", search="부츠") == [chelsea.slug]
    assert slugs(api_client, lang="ko", search="첼시부츠") == []  # pairs must follow each other: 시부 never does
    assert slugs(api_client, lang="ja", search="ルーツ") == []  # a shared pair alone is not a match
    assert slugs(api_client, lang="ja", search="boot") == [chelsea.slug, catalog["loafer"].slug]


def test_chinese_matches_the_factory_name_single_characters_too(api_client, catalog):
    product = catalog["sneaker"]
    Product.objects.filter(pk=product.pk).update(name_zh="白色运动鞋")
    assert slugs(api_client, lang="zh", search="鞋") == [product.slug]
    assert slugs(api_client, lang="zh", search="运动鞋") == [product.slug]
    assert slugs(api_client, lang="en", search="运动鞋") == []  # the Chinese name is indexed for zh only


def test_a_typo_still_finds_the_boot(api_client, catalog):
    chelsea = catalog["chelsea"]
    assert slugs(api_client, search="chelsae boot") == [chelsea.slug]
    assert slugs(api_client, lang="de", search="Stiefl") == [chelsea.slug]
    assert slugs(api_client, search="xqzwv") == []


def test_name_match_ranks_above_description_match_and_other_orderings_still_apply(api_client, catalog):
    chelsea, loafer = catalog["chelsea"], catalog["loafer"]
    # "boot" is the Chelsea boot's name and category; the loafer's description only mentions it.
    assert slugs(api_client, search="boot") == [chelsea.slug, loafer.slug]
    assert slugs(api_client, search="boot", ordering="price") == [loafer.slug, chelsea.slug]
    # Without a search, relevance falls back to newest first.
    assert slugs(api_client, ordering="relevance") == slugs(api_client, ordering="newest")


def _search_row(product, language="en"):
    return ProductSearch.objects.get(product=product, language=language)


def test_database_keeps_the_rows_whatever_the_write_path(api_client, catalog):
    chelsea, boots = catalog["chelsea"], catalog["boots"]
    assert ProductSearch.objects.filter(product=chelsea).count() == 8
    # A plain ORM update(): no save(), no signal.
    ProductTranslation.objects.filter(product=chelsea, language="de").update(name="Reitstiefel")
    assert _search_row(chelsea, "de").name == "Reitstiefel"
    assert slugs(api_client, lang="de", search="Reitstiefel") == [chelsea.slug]
    Product.objects.filter(pk=chelsea.pk).update(name="Jodhpur Boot")
    assert _search_row(chelsea).name == "Jodhpur Boot"
    assert slugs(api_client, search="jodhpur") == [chelsea.slug]
    # Raw SQL on the category: every product under it follows.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE shop_category SET name = 'Wellies' WHERE id = %s", [boots.pk])
        cursor.execute("UPDATE shop_variant SET colour = 'navy' WHERE product_id = %s AND colour = 'brown'",
                       [chelsea.pk])
    assert slugs(api_client, search="wellies") == [chelsea.slug]
    assert sorted(_search_row(chelsea).colours) == ["black", "navy"]
    # A translation deleted: German rows fall back to English.
    ProductTranslation.objects.filter(product=chelsea, language="de").delete()
    assert _search_row(chelsea, "de").name == "Jodhpur Boot"
    # A product deleted takes its rows with it.
    sneaker = catalog["sneaker"]
    Product.objects.filter(pk=sneaker.pk).delete()
    assert ProductSearch.objects.filter(product_id=sneaker.pk).count() == 0


def test_brand_and_term_changes_reach_the_rows(api_client, catalog):
    chelsea = catalog["chelsea"]
    Brand.objects.filter(pk=chelsea.brand_id).update(name="Northfield")
    assert slugs(api_client, search="northfield") == [chelsea.slug]
    CatalogTerm.objects.filter(kind="colour", key="black", language="de").update(text="Tiefschwarz")
    assert slugs(api_client, lang="de", search="tiefschwarz") == [chelsea.slug]


def test_stock_changes_never_rewrite_search_rows(catalog):
    chelsea = catalog["chelsea"]
    before = {(r.pk, r.language): (str(r.vector), r.sizes) for r in ProductSearch.objects.filter(product=chelsea)}
    with CaptureQueriesContext(connection) as ctx:
        StockLevel.objects.filter(variant__product=chelsea).update(on_hand=99, reserved=3)
    after = {(r.pk, r.language): (str(r.vector), r.sizes) for r in ProductSearch.objects.filter(product=chelsea)}
    assert after == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'shop_stocklevel'::regclass "
                       "AND tgname LIKE 'shop_search%%'")
        assert cursor.fetchall() == []
    assert len(ctx.captured_queries) == 1


def _facets(api_client, **params):
    response = api_client.get(LIST, {"facets": "true", "currency": "EUR", **params})
    assert response.status_code == 200, response.json()
    return response.json()


def _counts(buckets):
    return {b["value"]: b["count"] for b in buckets}


def test_facets_count_the_whole_result_and_single_valued_ones_add_up(api_client, catalog):
    body = _facets(api_client, page_size=1)
    facets = body["facets"]
    assert len(body["results"]) == 1 and body["count"] == 3 and facets["total"] == 3
    for name in ("category", "material", "price_band", "in_stock", "on_live_deal"):
        assert sum(b["count"] for b in facets[name]) == 3, name
    assert _counts(facets["category"]) == {"boots": 1, "shoes": 2}
    assert _counts(facets["material"]) == {"leather": 1, "textile": 1, "synthetic": 1}
    # 120 USD = 110.40 EUR, 60 = 55.20, 45 = 41.40
    assert _counts(facets["price_band"]) == {"100-200": 1, "50-100": 1, "0-50": 1}
    assert [b["value"] for b in facets["price_band"]] == ["0-50", "50-100", "100-200"]
    assert _counts(facets["in_stock"]) == {"true": 2, "false": 1}
    assert _counts(facets["on_live_deal"]) == {"false": 3}
    # Multi-valued: the boot has sizes 42 and 43 (its 43 fits 270 mm: EU 44 by its chart, but EU 43 is its label).
    assert _counts(facets["size"]) == {"42": 2, "43": 1, "44": 1}
    assert _counts(facets["colour"]) == {"black": 1, "brown": 2, "white": 1}
    assert _counts(facets["width"]) == {"D": 1, "E": 2, "2E": 1}
    assert facets["size_system"] == "EU" and facets["currency"] == "EUR"
    assert not any(b["selected"] for name in ("category", "size", "colour") for b in facets[name])


def test_facets_in_german_with_labels_and_another_size_system(api_client, catalog):
    facets = _facets(api_client, lang="de", search="stiefel", size_system="UK")["facets"]
    assert facets["total"] == 1
    assert {b["value"]: b["label"] for b in facets["category"]} == {"boots": "Stiefel"}
    assert {b["value"]: b["label"] for b in facets["material"]} == {"leather": "Leder"}
    assert {b["value"]: b["label"] for b in facets["colour"]} == {"black": "Schwarz", "brown": "brown"}
    # EU 42 = 260 mm = UK 7.5; the 43 fits 270 mm by the brand's chart = UK 8.5.
    assert _counts(facets["size"]) == {"7.5": 1, "8.5": 1}


def test_facet_filters_narrow_and_mark_the_bucket_selected(api_client, catalog):
    chelsea, loafer, sneaker = catalog["chelsea"], catalog["loafer"], catalog["sneaker"]
    assert slugs(api_client, colour="brown", ordering="name") == [chelsea.slug, loafer.slug]
    assert slugs(api_client, width="D") == [sneaker.slug]
    assert slugs(api_client, material="textile") == [loafer.slug]
    assert slugs(api_client, size="8.5", size_system="UK") == [chelsea.slug]
    assert slugs(api_client, size="43") == [chelsea.slug]  # without a size system: the label as written
    assert slugs(api_client, price_band="50-100", currency="EUR") == [loafer.slug]
    assert slugs(api_client, price_band="400-") == []
    body = _facets(api_client, colour="brown", in_stock="false")
    assert [r["slug"] for r in body["results"]] == [loafer.slug]
    assert [(b["value"], b["count"], b["selected"]) for b in body["facets"]["colour"]] == [("brown", 1, True)]
    assert [(b["value"], b["selected"]) for b in body["facets"]["in_stock"]] == [("false", True)]


def test_unknown_facet_values_are_a_400_in_the_error_shape(api_client, catalog):
    for params, field in (({"price_band": "10-20"}, "price_band"), ({"width": "ZZ"}, "width"),
                          ({"size_system": "XX"}, "size_system"), ({"lang": "xx"}, "lang"),
                          ({"ordering": "best"}, "ordering"), ({"material": "gold"}, "material")):
        response = api_client.get(LIST, params)
        assert response.status_code == 400, params
        body = response.json()
        assert set(body) == {"error"} and list(body["error"]["fields"]) == [field], params


def test_live_deal_facet_and_filter(api_client):
    _host, _session, variant, _deal = live_deal_create()
    other = priced_variant(amount="80.00").product
    on_deal = variant.product
    assert slugs(api_client, on_live_deal="true") == [on_deal.slug]
    assert slugs(api_client, on_live_deal="false") == [other.slug]
    facets = _facets(api_client)["facets"]
    assert _counts(facets["on_live_deal"]) == {"true": 1, "false": 1}


def test_search_with_facets_costs_the_same_queries_as_the_catalog_grows(api_client, catalog):
    def count_queries(text: str):
        cache.clear()
        # The columns each process keeps are loaded (and follow the change log) before: a search never met.
        assert api_client.get(LIST, {"search": "sandal", "facets": "true"}).status_code == 200
        answers_dropped()
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(LIST, {"search": text, "facets": "true", "currency": "EUR",
                                             "lang": "de", "page_size": 50})
        assert response.status_code == 200
        body = response.json()
        return rendering_statements(ctx), body["count"], body["facets"]["total"]

    small = count_queries("chelsae boot")
    boots = catalog["boots"]
    brand = BrandFactory()
    for i in range(15):
        product = ProductFactory(category=boots, name=f"Chelsea Boot {i}", brand=brand,
                                 manufacturer=brand.manufacturer)
        for size in ("41", "42", "43"):
            priced_variant(product=product, size_label=size, colour=f"colour-{i % 4}")
    large = count_queries("boot chelsae")
    assert (small[1:], large[1:]) == ((1, 1), (16, 16))
    assert small[0] == large[0]
    # Live deals, FX table version, typo corrections, the text's matches, the page by id with its texts, first
    # image and stock; facets and order from the kept columns.
    assert large[0] <= 5
    # The same text again (other filters) asks the database for its page only, besides live deals and FX.
    answers_dropped()
    with CaptureQueriesContext(connection) as ctx:
        assert api_client.get(LIST, {"search": "boot chelsae", "facets": "true", "currency": "EUR", "lang": "de",
                                     "in_stock": "true"}).status_code == 200
    assert rendering_statements(ctx) == 3


def test_suggestions_as_the_buyer_types(api_client, catalog):
    response = api_client.get(SUGGEST, {"q": "ch", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert {"text": "Chelsea Boot", "kind": "product", "slug": catalog["chelsea"].slug} in body
    assert len(body) <= 8
    de = api_client.get(SUGGEST, {"q": "stie", "lang": "de"}).json()
    assert de[0] == {"text": "Stiefel", "kind": "category", "slug": "boots"}
    assert {"text": "Chelsea-Stiefel", "kind": "product", "slug": catalog["chelsea"].slug} not in de  # no prefix
    typo = api_client.get(SUGGEST, {"q": "chelsae", "lang": "en"}).json()
    assert {"text": "chelsea", "kind": "word", "slug": None} in typo
    ja = api_client.get(SUGGEST, {"q": "チェ", "lang": "ja"}).json()
    assert ja[0] == {"text": "チェルシーブーツ", "kind": "product", "slug": catalog["chelsea"].slug}


def test_suggestions_refuse_missing_or_long_input(api_client, catalog):
    for params in ({}, {"q": ""}, {"q": "x" * 51}, {"q": "ch", "lang": "xx"}, {"q": "ch", "extra": "1"}):
        response = api_client.get(SUGGEST, params)
        assert response.status_code == 400, params
        assert set(response.json()) == {"error"}
        assert response.json()["error"]["code"] == "invalid"


@settings(max_examples=300, deadline=None)
@given(system=st.sampled_from([*SYSTEMS, "APPAREL"]), target=st.sampled_from([*SYSTEMS, "APPAREL"]),
       label=st.one_of(st.decimals(min_value=0, max_value=60, places=1).map(str), st.sampled_from(["M", "XL", ""])),
       foot=st.one_of(st.none(), st.integers(min_value=80, max_value=400)))
def test_size_conversion_in_sql_equals_python(system, target, label, foot):
    with connection.cursor() as cursor:
        cursor.execute("SELECT shop_size_in_system(%s, %s, %s, %s)", [system, label, foot, target])
        [(in_sql,)] = cursor.fetchall()
    assert in_sql == size_in_system(system, label, foot, target)


def test_category_ancestors_are_searchable(api_client, catalog):
    assert sorted(slugs(api_client, search="footwear")) == sorted(
        p.slug for p in (catalog["chelsea"], catalog["loafer"], catalog["sneaker"]))
    assert Category.objects.filter(slug="footwear").exists()


@pytest.mark.parametrize("params", [{"search": "boot"}, {"ordering": "name"},
                                    {"ordering": "-price"}, {"search": "footwear", "ordering": "newest"}])
def test_pages_with_facets_are_the_pages_without(api_client, catalog, params):
    def pages(**extra):
        return [[p["slug"] for p in api_client.get(LIST, {**params, **extra, "page_size": 1, "page": n}).json()
                 .get("results", [])] for n in (1, 2, 3)]

    plain = pages()
    assert pages(facets="true") == plain
    assert sum(len(page) for page in plain) == api_client.get(LIST, {**params, "facets": "true"}).json()["count"]
    beyond = api_client.get(LIST, {**params, "facets": "true", "page_size": 1, "page": 9})
    assert beyond.status_code == 404 and set(beyond.json()) == {"error"}
