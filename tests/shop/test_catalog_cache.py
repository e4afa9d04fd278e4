"""The storefront's response cache: an answer is served again until something it shows changes, and then
exactly the answers showing it are rendered again, whatever wrote the change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from shop import services
from shop.catalog_cache import catalog_cache
from shop.models import CatalogChange, Price, StockLevel
from shop.tasks import catalog_changes_prune
from tests.accounts.factories import buyer_create, client_for
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import ProductFactory, StockLevelFactory, priced_variant

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product-list")
LOG_TABLE = CatalogChange._meta.db_table


def detail(slug):
    return reverse("shop:product-detail", kwargs={"slug": slug})


def get(client, url, params=None, headers=None):
    """(answer, statements run besides reading the change log): 0 when served from the cache."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, headers=headers or {})
    rendered = [q["sql"] for q in ctx.captured_queries if LOG_TABLE not in q["sql"]]
    return response, len(rendered)


@pytest.fixture
def catalog():
    """Three products listed newest first, two to a page: c and b on page 1, a on page 2."""
    a = priced_variant(amount="100.00", stock=5, product__name="Alpha")
    b = priced_variant(amount="120.00", stock=5, product__name="Bravo")
    c = priced_variant(amount="140.00", stock=5, product__name="Charlie")
    return a, b, c


def prices(response) -> dict[str, str]:
    return {p["name"]: p["from_price"]["amount"] for p in response.json()["results"]}


def test_a_repeated_read_is_served_without_touching_the_tables(api_client, catalog):
    first, rendered = get(api_client, LIST, {"page_size": 2})
    again, rendered_again = get(api_client, LIST, {"page_size": 2})

    assert (first.status_code, again.status_code) == (200, 200)
    assert rendered > 0 and rendered_again == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and first["ETag"].startswith('"')
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert first["Vary"] == "Accept-Language, origin"  # no session is read: nothing varies on Cookie
    # The same query written in another order is the same answer.
    _, reordered = get(api_client, f"{LIST}?page=1&page_size=2")
    _, plain = get(api_client, f"{LIST}?page_size=2&page=1")
    assert plain == 0 and reordered > 0


def test_if_none_match_gets_304_without_a_body(api_client, catalog):
    first, _ = get(api_client, LIST)
    not_modified, rendered = get(api_client, LIST, headers={"If-None-Match": first["ETag"]})
    other, _ = get(api_client, LIST, headers={"If-None-Match": '"something-else"'})

    assert (not_modified.status_code, not_modified.content, rendered) == (304, b"", 0)
    assert not_modified["ETag"] == first["ETag"]
    assert other.status_code == 200 and other.content == first.content


def test_a_price_change_renders_again_exactly_the_answers_showing_it(api_client, catalog):
    a, b, c = catalog
    get(api_client, LIST, {"page_size": 2})  # c, b
    get(api_client, LIST, {"page_size": 2, "page": 2})  # a
    get(api_client, detail(a.product.slug))
    get(api_client, detail(b.product.slug))
    get(api_client, LIST, {"ordering": "price"})

    Price.objects.filter(variant=b).update(amount=Decimal("99.00"))  # a plain UPDATE: no service, no signal
    services.product_listing_refresh(product_ids=[b.product_id])

    page1, page1_rendered = get(api_client, LIST, {"page_size": 2})
    page2, page2_rendered = get(api_client, LIST, {"page_size": 2, "page": 2})
    b_page, b_rendered = get(api_client, detail(b.product.slug))
    _, a_rendered = get(api_client, detail(a.product.slug))
    by_price, by_price_rendered = get(api_client, LIST, {"ordering": "price"})

    assert page1_rendered > 0 and prices(page1) == {"Charlie": "140.00", "Bravo": "99.00"}
    assert b_rendered > 0 and b_page.json()["from_price"]["amount"] == "99.00"
    # Ordered by price, the change can move the product on any page: it is rendered again too.
    assert by_price_rendered > 0 and [p["name"] for p in by_price.json()["results"]] == ["Bravo", "Alpha", "Charlie"]
    # What does not show the product is still served from the cache.
    assert (page2_rendered, a_rendered) == (0, 0)
    assert prices(page2) == {"Alpha": "100.00"}


def test_a_raw_sql_write_is_seen_as_well(api_client, catalog):
    _a, b, _c = catalog
    get(api_client, detail(b.product.slug))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE shop_price SET amount = 77 WHERE variant_id = %s", [b.pk])
    answer, rendered = get(api_client, detail(b.product.slug))
    assert rendered > 0 and answer.json()["variants"][0]["price"]["amount"] == "77.00"


def test_selling_out_renders_the_lists_showing_it_and_fewer_units_only_its_page(api_client, catalog):
    a, b, c = catalog
    get(api_client, LIST, {"page_size": 2})
    get(api_client, LIST, {"page_size": 2, "page": 2})
    get(api_client, detail(b.product.slug))
    get(api_client, LIST, {"in_stock": "true"})

    StockLevel.objects.filter(variant=b).update(reserved=1)  # 5 -> 4 free: still in stock
    _, list_rendered = get(api_client, LIST, {"page_size": 2})
    b_page, b_rendered = get(api_client, detail(b.product.slug))
    _, in_stock_rendered = get(api_client, LIST, {"in_stock": "true"})
    assert (list_rendered, in_stock_rendered) == (0, 0)  # lists show in stock or not: unchanged
    assert b_rendered > 0 and b_page.json()["variants"][0]["available"] == 4

    StockLevel.objects.filter(variant=b).update(reserved=5)  # sold out
    page1, page1_rendered = get(api_client, LIST, {"page_size": 2})
    _, page2_rendered = get(api_client, LIST, {"page_size": 2, "page": 2})
    in_stock, in_stock_rendered = get(api_client, LIST, {"in_stock": "true"})
    assert page1_rendered > 0 and {p["name"]: p["in_stock"] for p in page1.json()["results"]} == {
        "Charlie": True, "Bravo": False}
    assert in_stock_rendered > 0 and [p["name"] for p in in_stock.json()["results"]] == ["Charlie", "Alpha"]
    assert page2_rendered == 0


def test_a_new_product_refills_lists_but_not_product_pages(api_client, catalog):
    a, _b, _c = catalog
    get(api_client, LIST)
    get(api_client, detail(a.product.slug))
    same_house = {f"product__{field}": getattr(a.product, field) for field in ("manufacturer", "brand", "category")}
    priced_variant(amount="50.00", product__name="Delta", **same_house)

    fresh, list_rendered = get(api_client, LIST)
    _, a_rendered = get(api_client, detail(a.product.slug))
    assert list_rendered > 0 and [p["name"] for p in fresh.json()["results"]][0] == "Delta"
    assert a_rendered == 0


def test_a_miss_costs_at_most_five_statements(api_client, catalog):
    for _ in range(10):
        product = ProductFactory()
        for size in ("40", "41", "42"):
            priced_variant(product=product, size_label=size)
    _, list_rendered = get(api_client, LIST, {"currency": "USD", "page_size": 50})
    _, detail_rendered = get(api_client, detail(catalog[0].product.slug))
    assert 0 < list_rendered <= 5 and 0 < detail_rendered <= 5


def test_signed_in_answers_are_private(catalog):
    client = client_for(buyer_create())
    answer, _ = get(client, LIST)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-cache"


def test_refusals_are_never_kept(api_client, catalog):
    first, _ = get(api_client, LIST, {"currency": "XXX"})
    again, rendered = get(api_client, LIST, {"currency": "XXX"})
    assert (first.status_code, again.status_code) == (400, 400) and rendered >= 0
    assert len(catalog_cache) == 0
    missing, _ = get(api_client, detail("no-such-shoe"))
    assert missing.status_code == 404 and len(catalog_cache) == 0


def test_checkout_prices_from_the_tables_while_a_cached_page_still_shows_the_old_price(catalog, customs_rules,
                                                                                       rates):
    _a, b, _c = catalog
    buyer, address = buyer_with_cart([(b, 1)])
    client = client_for(buyer)
    shown, _ = get(client, detail(b.product.slug))
    assert shown.json()["variants"][0]["price"]["amount"] == "120.00"
    Price.objects.filter(variant=b).update(amount=Decimal("130.00"))  # the page is not read again before checkout

    placed = client.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                         HTTP_IDEMPOTENCY_KEY="stale-page-checkout")
    assert placed.status_code == 201, placed.json()
    order = Order.objects.get(number=placed.json()["number"])
    # The buyer pays in EUR: the new USD 130 at the rate in force (0.86), not the USD 120 the page showed.
    assert (order.currency, [line.unit_price for line in order.lines.all()]) == ("EUR", [Decimal("111.80")])


def test_stock_rows_untouched_by_a_write_log_nothing():
    variant = priced_variant(stock=None)
    level = StockLevelFactory(variant=variant, on_hand=3)
    before = CatalogChange.objects.count()
    StockLevel.objects.filter(pk=level.pk).update(on_hand=3)  # same numbers
    assert CatalogChange.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_the_change_log_keeps_an_hour_through_the_worker(catalog, celery_app, celery_worker):
    old = CatalogChange.objects.create(product_id=catalog[0].product_id, kind=CatalogChange.Kind.PRICE)
    CatalogChange.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    recent = CatalogChange.objects.count() - 1
    assert catalog_changes_prune.delay().get(timeout=20) == 1
    assert CatalogChange.objects.count() == recent and not CatalogChange.objects.filter(pk=old.pk).exists()
