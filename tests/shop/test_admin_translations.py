"""Factories enter their texts in the buyers' languages in the admin and see which are still missing; they
never read or change another manufacturer's texts."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.models import BrandTranslation, CatalogTerm, CategoryTranslation, ProductTranslation
from tests.shop.factories import (
    BrandFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    category_create,
    priced_variant,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:shop_product_changelist")


@pytest.fixture
def world():
    category_create("shoes")
    a = MembershipFactory(user__username="staff_a")
    b = MembershipFactory(user__username="staff_b")
    brand_a = BrandFactory(manufacturer=a.manufacturer, name="Alpha", slug="alpha")
    brand_b = BrandFactory(manufacturer=b.manufacturer, name="Bravo", slug="bravo")
    boot_a = priced_variant(product__manufacturer=a.manufacturer, product__brand=brand_a, product__slug="a-boot",
                            product__name_zh="甲靴", sku="A-1").product
    boot_b = priced_variant(product__manufacturer=b.manufacturer, product__brand=brand_b, product__slug="b-boot",
                            sku="B-1").product
    ProductTranslation.objects.create(product=boot_b, language="de", name="B-Stiefel", description="Geheim.")
    BrandTranslation.objects.create(brand=brand_b, language="ja", name="ブラボー")
    operator = UserFactory(username="op", is_staff=True, is_superuser=True)
    return {"a": a, "b": b, "boot_a": boot_a, "boot_b": boot_b, "brand_a": brand_a, "brand_b": brand_b,
            "operator": operator}


def form_post(client, url, changes):
    """Posts the admin form as a browser submits it from the page, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    [form] = [form for form in page.forms if (form.get("id") or "").endswith("_form")]
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data.update({name: [str(value)] for name, value in changes.items()})
    data["_save"] = ["Save"]
    return client.post(url, data)


def test_staff_enter_translations_of_their_product_in_the_inline(client, world):
    client.force_login(world["a"].user)
    product = world["boot_a"]
    url = reverse("admin:shop_product_change", args=[product.pk])
    page = client.get(url).content.decode()
    assert "Translations 翻译" in page
    assert '<option value="en">' not in page  # English is the product's own fields
    response = form_post(client, url, {
        "translations-TOTAL_FORMS": 2,
        "translations-0-language": "de", "translations-0-name": "Stiefel A",
        "translations-0-description": "Aus Leder.",
        "translations-1-language": "ja", "translations-1-name": "ブーツA",
    })
    assert response.status_code == 302, response.context["errors"]
    assert list(ProductTranslation.objects.filter(product=product).values_list("language", "name", "description")) \
        == [("de", "Stiefel A", "Aus Leder."), ("ja", "ブーツA", "")]


def test_the_same_language_twice_is_a_form_error_and_nothing_is_saved(client, world):
    client.force_login(world["a"].user)
    url = reverse("admin:shop_product_change", args=[world["boot_a"].pk])
    response = form_post(client, url, {
        "translations-TOTAL_FORMS": 2,
        "translations-0-language": "de", "translations-0-name": "Stiefel A",
        "translations-1-language": "de", "translations-1-name": "Noch ein Stiefel",
    })
    assert response.status_code == 200
    assert not ProductTranslation.objects.filter(product=world["boot_a"]).exists()


def test_staff_never_see_or_change_another_manufacturers_translations(client, world):
    client.force_login(world["a"].user)
    page = client.get(CHANGELIST).content.decode()
    assert "B-Stiefel" not in page and "b-boot" not in page
    other = reverse("admin:shop_product_change", args=[world["boot_b"].pk])
    assert client.get(other).status_code == 302  # as if it did not exist
    response = client.post(other, {"translations-TOTAL_FORMS": 1, "translations-INITIAL_FORMS": 0,
                                   "translations-0-language": "fr", "translations-0-name": "Détourné"})
    assert response.status_code in (302, 403)
    assert list(ProductTranslation.objects.filter(product=world["boot_b"]).values_list("language", "name")) == [
        ("de", "B-Stiefel")]
    assert client.get(reverse("admin:shop_brand_change", args=[world["brand_b"].pk])).status_code == 302
    # A translation row of B's product cannot be pulled into A's product form by its id either.
    row_b = ProductTranslation.objects.get(product=world["boot_b"])
    form_post(client, reverse("admin:shop_product_change", args=[world["boot_a"].pk]), {
        "translations-TOTAL_FORMS": 1, "translations-INITIAL_FORMS": 1, "translations-0-id": row_b.pk,
        "translations-0-product": world["boot_a"].pk, "translations-0-language": "de",
        "translations-0-name": "Gestohlen"})
    row_b.refresh_from_db()
    assert (row_b.product_id, row_b.name) == (world["boot_b"].pk, "B-Stiefel")


def test_staff_translate_their_own_brand(client, world):
    client.force_login(world["a"].user)
    response = form_post(client, reverse("admin:shop_brand_change", args=[world["brand_a"].pk]), {
        "translations-TOTAL_FORMS": 1, "translations-0-language": "ko", "translations-0-name": "알파"})
    assert response.status_code == 302
    assert list(BrandTranslation.objects.filter(brand=world["brand_a"]).values_list("language", "name")) == [
        ("ko", "알파")]


def test_the_changelist_shows_missing_languages_without_a_query_per_row(client, world):
    client.force_login(world["operator"])
    ProductTranslation.objects.create(product=world["boot_a"], language="fr", name="Botte A")

    def missing_column():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(CHANGELIST)
        cl = response.context["cl"]
        return {p.slug: cl.model_admin.missing_translations(p) for p in cl.result_list}, len(ctx.captured_queries)

    missing, few = missing_column()
    # A has French and a Chinese name; B has German only and no Chinese name.
    assert missing == {"a-boot": "de es it ja ko", "b-boot": "fr es it ja ko zh"}
    for _ in range(10):
        ProductFactory(manufacturer=world["a"].manufacturer, brand=world["brand_a"])
    _, many = missing_column()
    assert few == many

    everything = ("de", "fr", "es", "it", "ja", "ko", "zh")
    for language in everything:
        ProductTranslation.objects.update_or_create(product=world["boot_b"], language=language,
                                                    defaults={"name": "B"})
    assert missing_column()[0]["b-boot"] == "—"


def test_filter_by_a_missing_language(client, world):
    client.force_login(world["operator"])

    def listed(language):
        response = client.get(CHANGELIST, {"missing_translation": language})
        return sorted(p.slug for p in response.context["cl"].result_list)

    assert listed("de") == ["a-boot"]
    assert listed("fr") == ["a-boot", "b-boot"]
    assert listed("zh") == ["b-boot"]  # A has its Chinese name
    ProductTranslation.objects.create(product=world["boot_b"], language="zh", name="乙靴")
    assert listed("zh") == []
    page = client.get(CHANGELIST).content.decode()
    assert "missing translation in 缺少翻译" in page


def test_staff_filter_only_among_their_own_products(client, world):
    client.force_login(world["a"].user)
    response = client.get(CHANGELIST, {"missing_translation": "fr"})
    assert [p.slug for p in response.context["cl"].result_list] == ["a-boot"]


def test_operators_translate_categories_and_staff_only_read_them(client, world):
    category = world["boot_a"].category
    client.force_login(world["operator"])
    url = reverse("admin:shop_category_change", args=[category.pk])
    response = form_post(client, url, {"translations-TOTAL_FORMS": 1, "translations-0-language": "it",
                                       "translations-0-name": "Scarpe"})
    assert response.status_code == 302
    assert CategoryTranslation.objects.get(category=category).name == "Scarpe"

    client.force_login(world["a"].user)
    page = client.get(url)
    assert page.status_code == 200 and "Scarpe" in page.content.decode()
    client.post(url, {"name": "Hacked", "translations-TOTAL_FORMS": 1, "translations-INITIAL_FORMS": 0,
                      "translations-0-language": "fr", "translations-0-name": "Piratée"})
    assert list(CategoryTranslation.objects.values_list("language", "name")) == [("it", "Scarpe")]


def test_catalog_terms_are_the_operators_alone(client, world):
    CatalogTerm.objects.create(kind="material", key="leather", language="de", text="Leder")
    client.force_login(world["operator"])
    assert "Leder" in client.get(reverse("admin:shop_catalogterm_changelist")).content.decode()
    client.force_login(world["a"].user)
    assert client.get(reverse("admin:shop_catalogterm_changelist")).status_code == 403
    response = client.post(reverse("admin:shop_catalogterm_add"),
                           {"kind": "material", "key": "leather", "language": "fr", "text": "cuir"})
    assert response.status_code == 403
    assert list(CatalogTerm.objects.values_list("language", flat=True)) == ["de"]
