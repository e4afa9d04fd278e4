"""Searches with facets are answered from the columns each process keeps (shop.facet_index); without facets the
same list comes from the database's own query. Both must list the same products in the same order, every facet
bucket must count what filtering by it lists, and the columns must follow every change."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from shop.models import CategoryTranslation, Manufacturer, Price, Product, ProductTranslation, StockLevel
from shop.services import product_listing_refresh
from tests.livestream.factories import live_deal_create
from tests.shop.factories import BrandFactory, ProductFactory, category_create, priced_variant

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product-list")
WORDS = ("chelsea", "court", "desert", "runner", "suede", "classic")
COLOURS = ("black", "brown", "white", "navy")
WIDTHS = ("D", "E", "2E")
MATERIALS = ("leather", "textile", "synthetic")


@pytest.fixture
def mixed_catalog():
    """36 products over three leaf categories, random names, materials, prices, sizes, colours, widths and stock;
    one unlisted, one of a maker gone inactive, one on a live deal."""
    rng = random.Random(11)
    footwear = category_create("footwear")
    leaves = [category_create(slug, parent=footwear) for slug in ("boots", "sneakers", "sandals")]
    CategoryTranslation.objects.create(category=leaves[0], language="de", name="Stiefel")
    brands = [BrandFactory() for _ in range(3)]
    products = []
    for i in range(36):
        brand = rng.choice(brands)
        product = ProductFactory(category=rng.choice(leaves), brand=brand, manufacturer=brand.manufacturer,
                                 name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}",
                                 upper_material=rng.choice(MATERIALS))
        amount = rng.choice(("35.00", "49.99", "50.00", "75.00", "120.00", "250.00", "500.00"))
        for _ in range(rng.randint(1, 3)):
            priced_variant(product=product, amount=amount, size_label=str(rng.randint(39, 45)),
                           foot_length_mm=None, colour=rng.choice(COLOURS), width_class=rng.choice(WIDTHS),
                           stock=rng.choice((0, 0, 3, 10)))
        products.append(product)
    ProductTranslation.objects.create(product=products[0], language="de", name="Chelsea-Stiefel Wildleder")
    Product.objects.filter(pk=products[1].pk).update(is_active=False)
    Manufacturer.objects.filter(pk=products[2].manufacturer_id).update(is_active=False)
    _host, _session, deal_variant, _deal = live_deal_create()
    return products + [deal_variant.product]


def _get(api_client, params):
    response = api_client.get(LIST, params)
    return response.status_code, response.json()


def _random_query(rng: random.Random) -> dict:
    params = {"currency": rng.choice(("USD", "EUR")), "lang": rng.choice(("en", "de")), "page_size": 5,
              "page": rng.choice((1, 1, 2))}
    if rng.random() < 0.6:
        params["search"] = " ".join(rng.sample(WORDS + ("stiefel", "boots", "chelsae"), rng.randint(1, 2)))
        params["ordering"] = rng.choice(("relevance", "newest", "name", "-price"))
    else:
        params["ordering"] = rng.choice(("newest", "name", "-name", "price", "-price"))
    optional = {
        "category": lambda: rng.choice(("footwear", "boots", "sneakers", "sandals")),
        "colour": lambda: rng.choice(COLOURS),
        "width": lambda: rng.choice(WIDTHS),
        "material": lambda: rng.choice(MATERIALS),
        "in_stock": lambda: rng.choice(("true", "false")),
        "price_band": lambda: rng.choice(("0-50", "50-100", "100-200", "400-")),
        "price_min": lambda: rng.choice(("49.99", "50", "75")),
        "price_max": lambda: rng.choice(("50", "120", "250.00")),
        "on_live_deal": lambda: rng.choice(("true", "false")),
        "size": lambda: str(rng.randint(39, 45)),
    }
    for name, value in optional.items():
        if rng.random() < 0.15:
            params[name] = value()
    if "size" in params and rng.random() < 0.5:
        params["size_system"] = "EU"
    return params


def test_the_kept_columns_list_what_the_database_lists(api_client, mixed_catalog):
    rng = random.Random(3)
    compared = nonempty = 0
    for _ in range(120):
        params = _random_query(rng)
        sql_status, sql_body = _get(api_client, params)
        kept_status, kept_body = _get(api_client, {**params, "facets": "true"})
        assert kept_status == sql_status, params
        if sql_status != 200:
            continue
        compared += 1
        assert [p["slug"] for p in kept_body["results"]] == [p["slug"] for p in sql_body["results"]], params
        assert kept_body["count"] == sql_body["count"] == kept_body["facets"]["total"], params
        nonempty += bool(sql_body["results"])
    assert compared >= 80 and nonempty >= 30, (compared, nonempty)  # the queries must exercise something


def test_every_bucket_counts_what_filtering_by_it_lists(api_client, mixed_catalog):
    rng = random.Random(8)
    checked = 0
    for _ in range(12):
        params = {"currency": rng.choice(("USD", "EUR")), "lang": rng.choice(("en", "de")), "size_system": "EU"}
        if rng.random() < 0.5:
            params["search"] = rng.choice(WORDS)
        if rng.random() < 0.5:
            params["category"] = rng.choice(("boots", "sneakers", "sandals"))
        status, body = _get(api_client, {**params, "facets": "true"})
        if status != 200:
            continue
        facets = body["facets"]
        for name in ("colour", "width", "material", "price_band", "in_stock", "on_live_deal", "size"):
            if name in params:
                continue
            for bucket in facets[name]:
                status, narrowed = _get(api_client, {**params, name: bucket["value"]})
                assert status == 200 and narrowed["count"] == bucket["count"], (params, name, bucket)
                checked += 1
        # one value each: category (leaves only here), material, price band, stock and live deal add up
        for name in ("category", "material", "price_band", "in_stock", "on_live_deal"):
            assert sum(b["count"] for b in facets[name]) == facets["total"], (params, name)
    assert checked > 60


def _facets(api_client, **params):
    status, body = _get(api_client, {"facets": "true", "currency": "USD", **params})
    assert status == 200, body
    return body


def _count(buckets, value):
    return next((b["count"] for b in buckets if b["value"] == value), 0)


def test_the_columns_follow_prices_stock_texts_listings_and_names(api_client, mixed_catalog):
    product = mixed_catalog[3]
    before = _facets(api_client, search="zebra")
    assert before["count"] == 0

    # A new name is found at once, under the word it now has only.
    Product.objects.filter(pk=product.pk).update(name="Zebra loafer")
    found = _facets(api_client, search="zebra")
    assert [p["slug"] for p in found["results"]] == [product.slug]

    # A price moves the product between bands.
    Price.objects.filter(variant__product=product).update(amount=Decimal("450.00"))
    product_listing_refresh(product_ids=[product.pk])
    assert _count(_facets(api_client, search="zebra")["facets"]["price_band"], "400-") == 1

    # Sold out everywhere: out of stock, and not listed under in stock.
    StockLevel.objects.filter(variant__product=product).update(on_hand=0, reserved=0)
    body = _facets(api_client, search="zebra", in_stock="true")
    assert body["count"] == 0
    assert _count(_facets(api_client, search="zebra")["facets"]["in_stock"], "false") == 1

    # A category renamed in German is labelled so (a change reaching every product reloads everything).
    CategoryTranslation.objects.filter(name="Stiefel").update(name="Stiefel und Boots")
    labels = {b["value"]: b["label"] for b in _facets(api_client, lang="de")["facets"]["category"]}
    assert labels["boots"] == "Stiefel und Boots"

    # Unlisted: gone from every count.
    total = _facets(api_client)["count"]
    Product.objects.filter(pk=product.pk).update(is_active=False)
    assert _facets(api_client)["count"] == total - 1
    assert _facets(api_client, search="zebra")["count"] == 0

    # A new product shows up with its facts.
    new = ProductFactory(name="Zebra boot", category=product.category, brand=product.brand,
                         manufacturer=product.manufacturer)
    priced_variant(product=new, amount="20.00", colour="teal", size_label="40", foot_length_mm=None)
    body = _facets(api_client, search="zebra", colour="teal")
    assert [p["slug"] for p in body["results"]] == [new.slug]
    assert _count(body["facets"]["price_band"], "0-50") == 1
