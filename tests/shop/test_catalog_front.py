"""Catalog reads answered from the cache in front of Django (shop/asgi.py): the answer Django gives for the
same request, header for header, and everything the cache cannot judge handed to Django."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application, django_application
from shop import services
from shop.asgi import catalog_first
from shop.models import Price
from tests.accounts.factories import buyer_create
from tests.asgi import Answer, asgi_request
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("shop:product-list")
PER_REQUEST = {"x-request-id"}


def asgi_get(app, path: str, query: str = "", headers: dict[str, str] | None = None) -> Answer:
    return asgi_request(app, "GET", path, query=query, headers=headers)


class ToDjango:
    """Django behind the front, counting what reaches it."""

    def __init__(self):
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await django_application(scope, receive, send)


@pytest.fixture
def shoe():
    priced_variant(amount="120.00", stock=5, product__name="Chelsea Boot")
    return priced_variant(amount="80.00", stock=5, product__name="Runner").product


def without(headers: dict[str, str], names=PER_REQUEST) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k not in names}


def test_a_cached_list_is_answered_here_exactly_as_django_answers_it(shoe):
    django = ToDjango()
    app = catalog_first(django)
    rendered = asgi_get(app, LIST, "page_size=5", {"X-Request-ID": "req-front-0001"})
    served = asgi_get(app, LIST, "page_size=5", {"X-Request-ID": "req-front-0002"})

    assert django.calls == 1
    assert (rendered.status, served.status) == (200, 200)
    assert served.body == rendered.body
    assert without(served.headers) == without(rendered.headers)
    assert served.headers["x-request-id"] == "req-front-0002"
    assert served.headers["cache-control"] == "public, max-age=0, s-maxage=1"


def test_a_cached_product_page_and_its_304(shoe):
    django = ToDjango()
    app = catalog_first(django)
    path = reverse("shop:product-detail", kwargs={"slug": shoe.slug})
    rendered = asgi_get(app, path, "currency=USD")
    served = asgi_get(app, path, "currency=USD")
    django_304 = asgi_get(django_application, path, "currency=USD", {"If-None-Match": rendered.headers["etag"]})
    served_304 = asgi_get(app, path, "currency=USD", {"If-None-Match": rendered.headers["etag"]})

    assert django.calls == 1
    assert without(served.headers) == without(rendered.headers) and served.body == rendered.body
    assert (django_304.status, served_304.status) == (304, 304)
    assert served_304.body == django_304.body == b""
    assert without(served_304.headers) == without(django_304.headers)


def test_what_the_cache_cannot_judge_goes_to_django(shoe):
    django = ToDjango()
    app = catalog_first(django)
    asgi_get(app, LIST)
    assert django.calls == 1
    token = f"Bearer {AccessToken.for_user(buyer_create())}"
    for headers in ({"Authorization": token}, {"Origin": "https://shop.example"},
                    {"Cookie": "sessionid=abc"}, {"Host": "evil.example"}):
        asgi_get(app, LIST, "", headers)
    assert django.calls == 5


def test_a_price_change_is_not_served_from_here(shoe):
    django = ToDjango()
    app = catalog_first(django)
    first = asgi_get(app, LIST)
    Price.objects.filter(variant__product=shoe).update(amount=Decimal("70.00"))
    services.product_listing_refresh(product_ids=[shoe.pk])
    again = asgi_get(app, LIST)
    assert django.calls == 2
    assert b'"amount":"70.00"' in again.body and b'"amount":"70.00"' not in first.body


def test_the_served_application_answers_from_the_cache(shoe):
    first = asgi_get(application, LIST, "ordering=name")
    again = asgi_get(application, LIST, "ordering=name")
    assert (first.status, again.status) == (200, 200) and again.body == first.body
