"""Landed-cost quotes through the API, and checkout refused where no rule applies."""


import time

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.accounts.factories import client_for
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db


def test_quote_endpoint_for_the_cart_and_for_adhoc_variants(rates):
    variant = priced_variant(amount="120.00", stock=5, product__gender="men")
    buyer, _address = buyer_with_cart([(variant, 1)])
    client = client_for(buyer)
    url = reverse("landed_cost:landed-cost-quote")
    body = client.post(url, {"destination": "JP", "currency": "USD"}, format="json").json()
    assert body["regime"] == "JP_IMPORT"
    assert body["duty"] == {"amount": "40.00", "currency": "USD"}  # JPY 6,000 at 150
    assert body["collection"] == "DDP"
    from rest_framework.test import APIClient

    anonymous = APIClient()
    adhoc = anonymous.post(url, {"destination": "DE", "currency": "EUR",
                                 "lines": [{"sku": variant.sku, "quantity": 1}]}, format="json")
    assert adhoc.status_code == 200, adhoc.json()
    assert adhoc.json()["regime"] == "EU_IOSS_FLAT_DUTY"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"destination": "ZZ", "lines": [{"sku": "X", "quantity": 1}]}, "destination"),
     ({"destination": "DE", "lines": [{"sku": "NOPE", "quantity": 1}]}, "variant"),
     ({"destination": "DE", "lines": [{"sku": "SKU", "quantity": 0}]}, "lines"),
     ({"destination": "DE", "lines": []}, "lines"),
     ({"destination": "JP", "currency": "USD", "lines": [{"sku": "SNEAKER", "quantity": 1}]}, "missing")],
)
def test_quote_endpoint_says_exactly_what_is_missing(rates, api_client, body, field):
    priced_variant(sku="SKU", stock=5)
    priced_variant(sku="SNEAKER", stock=5, product__hs_code="640411", product__cn_commodity_code="6404110000")
    response = api_client.post(reverse("landed_cost:landed-cost-quote"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()


def test_a_quote_takes_at_most_a_cartful_and_refuses_more_at_once(rates, api_client, settings,
                                                                  django_assert_num_queries):
    variant = priced_variant(sku="SKU", stock=5)
    url = reverse("landed_cost:landed-cost-quote")
    assert (settings.LIVEDOCK_MAX_CART_LINES, settings.LIVEDOCK_MAX_QUANTITY_PER_LINE) == (30, 10)
    full = {"destination": "DE", "currency": "EUR", "lines": [{"sku": variant.sku, "quantity": 10}] * 30}
    assert api_client.post(url, full, format="json").status_code == 200

    for lines in (4000, 31):
        started = time.perf_counter()
        with django_assert_num_queries(0):  # refused before a single line is looked up
            response = api_client.post(url, {**full, "lines": [{"sku": variant.sku, "quantity": 1}] * lines},
                                       format="json")
        assert time.perf_counter() - started < 1.0
        assert response.status_code == 400
        assert response.json() == {"error": {"code": "invalid", "message": "Some of the input is not valid.",
                                             "fields": {"lines": {"non_field_errors": [
                                                 "Ensure this field has no more than 30 elements."]}}}}
    response = api_client.post(url, {**full, "lines": [{"sku": variant.sku, "quantity": 11}]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"lines": {"0": {"quantity": [
        "Ensure this value is less than or equal to 10."]}}}


def test_the_schema_states_the_quote_limits():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    quote = schema["components"]["schemas"]["QuoteInputRequest"]["properties"]["lines"]
    assert quote["maxItems"] == 30
    line = schema["components"]["schemas"]["QuoteLineInputRequest"]["properties"]["quantity"]
    assert (line["minimum"], line["maximum"]) == (1, 10)


def test_checkout_to_a_destination_without_rules_is_refused_and_writes_nothing(rates):
    from accounts.services.buyers import address_create
    from orders.models import Order
    from shop.models import StockLevel

    variant = priced_variant(stock=5, product__hs_code="640411", product__cn_commodity_code="6404110000")
    buyer, _ = buyer_with_cart([(variant, 1)])
    tokyo = address_create(buyer=buyer, full_name="K S", line1="1-2-3", city="Shibuya", region="Tokyo",
                           postal_code="150-0002", country="JP")
    response = client_for(buyer).post(reverse("orders:checkout"), {"address_id": tokyo.pk}, format="json",
                                      HTTP_IDEMPOTENCY_KEY="gap-key-001")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "landed_cost_unavailable"
    assert "No duty rule for HS 640411" in response.json()["error"]["fields"]["missing"][0]
    assert not Order.objects.exists()
    assert StockLevel.objects.get(variant=variant).reserved == 0
