from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import IdempotencyRecord, Order, OrderEvent, OrderLine, Shipment
from shop.models import Price, Product, StockLevel
from tests.accounts.factories import address_create, buyer_create, client_for
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import StockLevelFactory, WarehouseFactory, priced_variant

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("orders:checkout")


def checkout(client, address, key="key-0001-abcd", **body):
    return client.post(CHECKOUT, {"address_id": address.pk, **body}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def stock_of(variant):
    return sorted(StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved"))


def test_cart_add_update_remove_priced_in_buyer_currency(rates):
    variant = priced_variant(amount="100.00", stock=5)
    buyer = buyer_create(currency="JPY")
    client = client_for(buyer)
    response = client.post(reverse("orders:cart-line-list"), {"variant": variant.sku, "quantity": 2}, format="json")
    assert response.status_code == 201
    cart = response.json()
    assert cart["currency"] == "JPY"
    assert cart["lines"][0]["unit_price"] == {"amount": "15000", "currency": "JPY"}
    assert cart["goods_total"] == {"amount": "30000", "currency": "JPY"}
    assert cart["ready_for_checkout"] is True
    line_id = cart["lines"][0]["id"]

    response = client.patch(reverse("orders:cart-line-detail", args=[line_id]), {"quantity": 3}, format="json")
    assert response.json()["lines"][0]["quantity"] == 3
    assert client.get(reverse("orders:cart"), {"currency": "EUR"}).json()["goods_total"] == {
        "amount": "258.00", "currency": "EUR"}
    response = client.delete(reverse("orders:cart-line-detail", args=[line_id]))
    assert response.json()["lines"] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"variant": "NOPE", "quantity": 1}, "variant_unavailable"),
        ({"variant": "SKU", "quantity": 0}, "invalid"),
        ({"variant": "SKU", "quantity": -2}, "invalid"),
        ({"variant": "SKU", "quantity": 11}, "quantity_limit"),
        ({"variant": "SKU", "quantity": 6}, "insufficient_stock"),
        ({"variant": "INACTIVE", "quantity": 1}, "variant_unavailable"),
        ({"variant": "SKU"}, "invalid"),
    ],
)
def test_cart_refuses_bad_lines(rates, body, code):
    variant = priced_variant(stock=5, sku="SKU")
    priced_variant(sku="INACTIVE", product__is_active=False)
    client = client_for(buyer_create())
    response = client.post(reverse("orders:cart-line-list"), body, format="json")
    assert response.status_code in (400, 409)
    assert response.json()["error"]["code"] == code
    assert client.get(reverse("orders:cart")).json()["lines"] == []
    assert stock_of(variant) == [(5, 0)]


def test_checkout_places_order_with_snapshot_and_reserves_stock(rates):
    variant = priced_variant(amount="120.00", stock=5)
    buyer, address = buyer_with_cart([(variant, 2)])
    response = checkout(client_for(buyer), address)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending_payment"
    # 2 x 120 USD x 0.86 = 206.40 EUR of goods: above EUR 150, so the EU import regime: shipping
    # USD 15 + 2 x 6 for 2.4 kg = 27 USD = 23.22 EUR; duty 8% of CIF 229.62 = 18.37;
    # VAT 19% of 229.62 + 18.37 = 47.12.
    assert [body[k]["amount"] for k in ("goods_total", "shipping_total", "duties_total", "taxes_total", "total")] \
        == ["206.40", "23.22", "18.37", "47.12", "295.11"]
    assert [e["to_status"] for e in body["events"]] == ["pending_payment"]
    assert body["shipping_address"]["postal_code"] == "80331"
    assert stock_of(variant) == [(5, 2)]

    order = Order.objects.get(number=body["number"])
    line = order.lines.get()
    assert (line.unit_price, line.currency, line.list_price, line.list_currency) == (
        Decimal("103.200"), "EUR", Decimal("120.000"), "USD")
    assert line.fx_rate == Decimal("0.86") and "USD/EUR 2026-11-20" in line.fx_source
    assert (line.hs_code, line.cn_commodity_code, line.origin_country) == ("640391", "6403911900", "CN")
    assert line.manufacturer_id == variant.product.manufacturer_id
    assert client_for(buyer).get(reverse("orders:cart")).json()["lines"] == []

    # Later catalog changes never alter the order.
    Price.objects.filter(variant=variant).update(amount=Decimal("999"))
    Product.objects.filter(pk=variant.product_id).update(name="Renamed", hs_code="640399",
                                                         cn_commodity_code="6403999000")
    line.refresh_from_db()
    assert (line.unit_price, line.product_name, line.hs_code) == (Decimal("103.200"), variant.product.name, "640391")


def test_same_idempotency_key_replays_and_creates_nothing_new(rates):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    client = client_for(buyer)
    first = checkout(client, address, key="retry-key-123")
    second = checkout(client, address, key="retry-key-123")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == 1
    assert stock_of(variant) == [(5, 1)]

    different = checkout(client, address, key="retry-key-123", currency="JPY")
    assert different.status_code == 409
    assert different.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", [None, "short", "has spaces in it", "x" * 256, "bad/slash-key"])
def test_malformed_idempotency_key_is_refused(rates, key):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = client_for(buyer).post(CHECKOUT, {"address_id": address.pk}, format="json", **headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_invalid"
    assert not Order.objects.exists() and stock_of(variant) == [(5, 0)]


def _assert_nothing_happened(variant_stock_pairs):
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists() and not Shipment.objects.exists() and not OrderEvent.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    for variant, expected in variant_stock_pairs:
        assert stock_of(variant) == expected


def test_if_any_line_lacks_stock_nothing_is_reserved_and_no_order_exists(rates):
    plenty = priced_variant(stock=10)
    scarce = priced_variant(stock=3)
    buyer, address = buyer_with_cart([(plenty, 4), (scarce, 3)])
    StockLevel.objects.filter(variant=scarce).update(on_hand=2)  # sold elsewhere meanwhile
    response = checkout(client_for(buyer), address)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_stock"
    _assert_nothing_happened([(plenty, [(10, 0)]), (scarce, [(2, 0)])])
    assert len(client_for(buyer).get(reverse("orders:cart")).json()["lines"]) == 2  # cart kept


def test_bad_checkout_input_changes_nothing(rates):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    other = buyer_create()
    others_address = address_create(other)
    client = client_for(buyer)
    assert checkout(client, others_address).status_code == 404
    assert checkout(client, address, currency="XXX").json()["error"]["code"] == "unsupported_currency"
    assert checkout(client, address, currency="GBP").json()["error"]["code"] == "fx_rate_unavailable"
    response = client.post(CHECKOUT, {"address_id": "abc"}, format="json", HTTP_IDEMPOTENCY_KEY="key-0001-abcd")
    assert response.status_code == 400 and "address_id" in response.json()["error"]["fields"]
    empty = client_for(other)
    assert checkout(empty, others_address).json()["error"]["code"] == "cart_empty"
    _assert_nothing_happened([(variant, [(5, 0)])])


def test_variant_deactivated_after_adding_to_cart_is_refused_at_checkout(rates):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    Product.objects.filter(pk=variant.product_id).update(is_active=False)
    response = checkout(client_for(buyer), address)
    assert response.json()["error"]["code"] == "variant_unavailable"
    _assert_nothing_happened([(variant, [(5, 0)])])


def test_multi_manufacturer_cart_gives_one_order_with_a_shipment_per_parcel(rates):
    a = priced_variant(stock=5)
    b = priced_variant(stock=5)
    # c has 1 unit in its default warehouse and 3 in a second one: a 3-unit line splits across both.
    c = priced_variant(stock=None)
    maker = c.product.manufacturer
    home = WarehouseFactory(manufacturer=maker)
    maker.default_warehouse = home
    maker.save()
    StockLevelFactory(variant=c, warehouse=home, on_hand=1)
    StockLevelFactory(variant=c, warehouse=WarehouseFactory(manufacturer=maker), on_hand=3)
    buyer, address = buyer_with_cart([(a, 1), (b, 2), (c, 3)])
    body = checkout(client_for(buyer), address).json()
    order = Order.objects.get(number=body["number"])
    parcels = {(s.manufacturer_id, s.warehouse_id) for s in order.shipments.all()}
    assert len(parcels) == 4
    assert sorted((line.sku, line.quantity) for line in order.lines.all()) == sorted(
        [(a.sku, 1), (b.sku, 2), (c.sku, 1), (c.sku, 2)])
    assert order.lines.get(sku=c.sku, quantity=1).stock_level.warehouse_id == home.pk
    assert body["goods_total"] == {"amount": "516.00", "currency": "EUR"}  # 6 x 86.00
    assert order.landed_cost["regime"] == "EU_IMPORT"
    assert order.total == order.goods_total + order.shipping_total + order.duties_total + order.taxes_total


def test_buyers_see_only_their_own_orders(rates):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    number = checkout(client_for(buyer), address).json()["number"]
    stranger = client_for(buyer_create())
    response = stranger.get(reverse("orders:order-detail", args=[number]))
    assert response.status_code == 404
    assert stranger.get(reverse("orders:order-list")).json()["results"] == []
    mine = client_for(buyer).get(reverse("orders:order-list")).json()["results"]
    assert [o["number"] for o in mine] == [number]
