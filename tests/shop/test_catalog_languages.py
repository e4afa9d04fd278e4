"""The storefront answers in the buyer's language: `lang`, the stored preference, Accept-Language, English."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import BuyerProfile
from shop.models import BrandTranslation, CatalogTerm, CategoryTranslation, ProductTranslation
from shop.translations import catalog_terms_get
from tests.accounts.factories import buyer_create, client_for
from tests.shop.factories import BrandFactory, ProductFactory, category_create, priced_variant
from tests.shop.statements import rendering_statements, uncached

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product-list")
CATEGORIES = reverse("shop:category-list")


def detail(slug):
    return reverse("shop:product-detail", kwargs={"slug": slug})


@pytest.fixture
def boot():
    """A boot with German and Japanese texts, a brand with a katakana name, a category named in German."""
    category = category_create("boots")
    CategoryTranslation.objects.create(category=category, language="de", name="Stiefel")
    brand = BrandFactory(name="Ridgeline", slug="ridgeline")
    BrandTranslation.objects.create(brand=brand, language="ja", name="リッジライン")
    variant = priced_variant(product__slug="chelsea", product__name="Chelsea boot", product__name_zh="切尔西靴",
                             product__description="Pull-on leather boot.", product__brand=brand,
                             product__manufacturer=brand.manufacturer, product__category=category,
                             product__lining_material="textile", colour="Black", width_class="2E")
    product = variant.product
    ProductTranslation.objects.create(product=product, language="de", name="Chelsea-Stiefel",
                                      description="Stiefel aus Leder zum Hineinschlüpfen.")
    ProductTranslation.objects.create(product=product, language="ja", name="チェルシーブーツ", description="")
    return product


def only(response):
    [item] = response.json()["results"]
    return item


def test_lang_asks_for_a_language_and_the_answer_names_it(api_client, boot):
    response = api_client.get(LIST, {"lang": "de"})
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    assert list(body)[:2] == ["count", "language"] and body["language"] == "de"
    item = only(response)
    assert (item["name"], item["language"], item["fallback"]) == ("Chelsea-Stiefel", "de", False)
    assert item["category"]["name"] == "Stiefel"
    assert item["brand"]["name"] == "Ridgeline"  # no German spelling: the brand's own name

    body = api_client.get(detail("chelsea"), {"lang": "de"}).json()
    assert (body["name"], body["description"], body["language"], body["fallback"]) == (
        "Chelsea-Stiefel", "Stiefel aus Leder zum Hineinschlüpfen.", "de", False)
    assert body["name_zh"] == "切尔西靴"


def test_a_missing_translation_falls_back_to_english_and_says_so(api_client, boot):
    item = only(api_client.get(LIST, {"lang": "fr"}))
    assert (item["name"], item["language"], item["fallback"]) == ("Chelsea boot", "en", True)
    assert item["category"]["name"] == "Boots"
    assert api_client.get(LIST, {"lang": "fr"}).json()["language"] == "fr"  # what was asked for

    # A translated name without a translated description: the English description, flagged.
    body = api_client.get(detail("chelsea"), {"lang": "ja"}).json()
    assert (body["name"], body["description"], body["language"], body["fallback"]) == (
        "チェルシーブーツ", "Pull-on leather boot.", "ja", True)
    assert body["brand"]["name"] == "リッジライン"


def test_chinese_uses_the_factorys_own_name_without_a_translation(api_client, boot):
    # The name is the factory's Chinese original; the description was written in English, so it is a fallback
    # (the same flag in the list and the detail: it speaks for the item's texts together).
    item = only(api_client.get(LIST, {"lang": "zh-Hans"}))
    assert (item["name"], item["language"], item["fallback"]) == ("切尔西靴", "zh", True)
    body = api_client.get(detail("chelsea"), {"lang": "zh"}).json()
    assert (body["name"], body["description"], body["fallback"]) == ("切尔西靴", "Pull-on leather boot.", True)

    ProductTranslation.objects.create(product=boot, language="zh", name="经典切尔西短靴", description="一脚蹬皮靴。")
    body = api_client.get(detail("chelsea"), {"lang": "zh"}).json()
    assert (body["name"], body["description"], body["fallback"]) == ("经典切尔西短靴", "一脚蹬皮靴。", False)


def test_english_is_the_base_and_never_a_fallback(api_client, boot):
    response = api_client.get(LIST)
    assert response["Content-Language"] == "en"
    assert response.json()["language"] == "en"
    item = only(response)
    assert (item["name"], item["language"], item["fallback"]) == ("Chelsea boot", "en", False)


def test_accept_language_decides_for_anonymous_buyers(api_client, boot):
    response = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="de-CH, fr;q=0.9, en;q=0.8")
    assert response["Content-Language"] == "de"
    assert only(response)["name"] == "Chelsea-Stiefel"
    response = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="pt-BR, pt;q=0.9")
    assert (response["Content-Language"], only(response)["fallback"]) == ("en", False)


def test_the_stored_language_beats_the_header_and_lang_beats_both(boot):
    buyer = buyer_create()
    BuyerProfile.objects.filter(user=buyer).update(language="ja")
    client = client_for(buyer)
    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="de")
    assert (response["Content-Language"], only(response)["name"]) == ("ja", "チェルシーブーツ")
    response = client.get(LIST, {"lang": "de"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert (response["Content-Language"], only(response)["name"]) == ("de", "Chelsea-Stiefel")
    response = client.get(detail("chelsea"), HTTP_ACCEPT_LANGUAGE="de")
    assert (response["Content-Language"], response.json()["name"]) == ("ja", "チェルシーブーツ")


@pytest.mark.parametrize("url", [LIST, detail("chelsea"), CATEGORIES])
@pytest.mark.parametrize("lang", ["xx", "pt", "english", ""])
def test_a_lang_outside_the_catalogs_languages_is_a_400_in_the_error_shape(api_client, boot, url, lang):
    response = api_client.get(url, {"lang": lang})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["lang"]
    assert "Content-Language" not in response


def test_categories_in_the_buyers_language(api_client, boot):
    body = api_client.get(CATEGORIES, {"lang": "de"}).json()
    assert body == [{"slug": "boots", "name": "Stiefel", "language": "de", "fallback": False, "path": "boots",
                     "parent": None}]
    response = api_client.get(CATEGORIES, HTTP_ACCEPT_LANGUAGE="ko")
    assert response["Content-Language"] == "ko"
    assert response.json()[0] == {"slug": "boots", "name": "Boots", "language": "en", "fallback": True,
                                  "path": "boots", "parent": None}


def test_detail_names_materials_colours_widths_and_gender_in_the_language(api_client, boot):
    for kind, key, text in (("material", "leather", "Leder"), ("material", "rubber_plastics", "Gummi oder Kunststoff"),
                            ("colour", "black", "Schwarz"), ("gender", "unisex", "Unisex"),
                            ("width", "2E", "2E (weit)")):
        CatalogTerm.objects.create(kind=kind, key=key, language="de", text=text)
    CatalogTerm.objects.create(kind="material", key="textile", language="en", text="Fabric")
    body = api_client.get(detail("chelsea"), {"lang": "de"}).json()
    assert (body["upper_material"], body["upper_material_name"]) == ("leather", "Leder")
    assert body["outer_sole_material_name"] == "Gummi oder Kunststoff"
    assert body["lining_material_name"] == "Fabric"  # no German term: the English term
    assert body["gender_name"] == "Unisex"
    [variant] = body["variants"]
    assert (variant["colour"], variant["colour_name"], variant["width_class_name"]) == ("Black", "Schwarz", "2E (weit)")

    body = api_client.get(detail("chelsea"), {"lang": "fr"}).json()
    assert (body["upper_material_name"], body["lining_material_name"]) == ("Leather", "Fabric")  # labels, terms
    assert (body["variants"][0]["colour_name"], body["gender_name"]) == ("Black", "Unisex")


def test_terms_are_kept_per_process_and_read_again_after_any_write(django_assert_num_queries):
    CatalogTerm.objects.create(kind="material", key="leather", language="fr", text="cuir")
    catalog_terms_get(language="fr")
    with django_assert_num_queries(1):  # the table's version only
        assert catalog_terms_get(language="fr").text("material", "leather") == "cuir"
    CatalogTerm.objects.filter(key="leather").update(text="cuir pleine fleur")
    assert catalog_terms_get(language="fr").text("material", "leather") == "cuir pleine fleur"


def _list_queries(client, params, **headers) -> tuple[int, int]:
    cache.clear()  # count the uncached path every time
    uncached()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"page_size": 50, **params}, **headers)
    assert response.status_code == 200
    return rendering_statements(ctx), len(response.json()["results"])


def test_the_list_in_another_language_costs_no_query_more_whatever_the_page_size(api_client, boot):
    english, _ = _list_queries(api_client, {})
    small, n_small = _list_queries(api_client, {"lang": "de"})
    for i in range(15):
        product = ProductFactory()
        ProductTranslation.objects.create(product=product, language="de", name=f"Stiefel {i}")
        BrandTranslation.objects.create(brand=product.brand, language="de", name=f"Marke {i}")
        priced_variant(product=product)
    large, n_large = _list_queries(api_client, {"lang": "de"})
    header, _ = _list_queries(api_client, {}, HTTP_ACCEPT_LANGUAGE="de")
    assert (n_small, n_large) == (1, 16)
    assert small == large == header == english  # the texts come with the page's own statement


def test_a_signed_in_buyers_stored_language_costs_one_query_and_lang_spares_it(boot):
    client = client_for(buyer_create())
    stored, _ = _list_queries(client, {})
    asked, _ = _list_queries(client, {"lang": "en"})
    anonymous, _ = _list_queries(client_for(None), {})
    assert stored == asked + 1 == anonymous + 1
