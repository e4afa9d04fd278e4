"""Routes that name an order take only the shape of number checkout issues."""

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from orders.converters import ORDER_NUMBER_REGEX, OrderNumberConverter
from orders.services.checkout import _order_number
from payments.models import Refund
from tests.accounts.factories import client_for
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import UserFactory, priced_variant


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern.converters


def test_every_route_naming_an_order_takes_the_order_number_converter():
    routes = {route: converters["number"] for route, converters in _patterns(get_resolver())
              if "number" in converters}
    assert sorted(routes) == [
        "api/v1/operator/orders/<order_number:number>/refunds/",
        "api/v1/orders/<order_number:number>/",
        "api/v1/orders/<order_number:number>/lines/<int:line_id>/fit/",
        "api/v1/orders/<order_number:number>/payment/",
    ]
    assert all(isinstance(converter, OrderNumberConverter) for converter in routes.values())


def test_every_number_checkout_issues_fits_the_converter():
    start = timezone.now()
    for days in range(0, 400, 7):
        for _ in range(20):
            assert re.fullmatch(ORDER_NUMBER_REGEX, _order_number(start + dt.timedelta(days=days)))


@pytest.mark.django_db
@pytest.mark.usefixtures("rates")
def test_a_malformed_order_number_answers_404_on_every_order_route():
    variant = priced_variant(amount="50.00", stock=3)
    buyer, address = buyer_with_cart([(variant, 1)])
    api = client_for(buyer)
    order = api.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                     HTTP_IDEMPOTENCY_KEY="order-number-shape").json()
    assert api.get(f"/api/v1/orders/{order['number']}/").status_code == 200
    operator = client_for(UserFactory(is_staff=True, is_superuser=True))
    malformed = [order["number"].lower(), order["number"] + "X", order["number"][:-1] + "O", "LD-26112-ABCDEF",
                 "LD-261123-ABCDEF/../x", "%20" + order["number"], "x" * 5000]
    for number in malformed:
        for client, method, url in ((api, "get", f"/api/v1/orders/{number}/"),
                                    (api, "post", f"/api/v1/orders/{number}/payment/"),
                                    (api, "post", f"/api/v1/orders/{number}/lines/1/fit/"),
                                    (operator, "post", f"/api/v1/operator/orders/{number}/refunds/")):
            response = getattr(client, method)(url, {}, format="json")
            assert (url, response.status_code) == (url, 404)
            assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
    assert not Refund.objects.exists()
