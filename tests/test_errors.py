import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Address
from config.parsers import MAX_DEPTH
from livestream import services as live_services
from livestream.models import LineupItem, ViewReport
from orders.models import CartLine, Order
from tests.accounts.factories import address_create, buyer_create, client_for
from tests.livestream.factories import make_world
from tests.shop.factories import MembershipFactory, priced_variant

# 100,000 levels: past the recursion limit of Python's json module.
BOTTOMLESS = "[" * 100_000 + "]" * 100_000
# Parses, but deeper than any request of the API nests.
DEEP = '{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)


@pytest.mark.django_db
def test_unknown_api_url_answers_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


@pytest.mark.django_db
def test_method_not_allowed_uses_the_error_shape(api_client):
    response = api_client.post("/api/v1/catalog/products/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "parameter"), [("/api/v1/live/sessions/?festival=", "festival"),
                                                ("/api/v1/catalog/products/?category=", "category"),
                                                ("/api/v1/catalog/products/?price_min=", "price_min")])
def test_a_blank_query_value_is_refused_not_ignored(api_client, url, parameter):
    response = api_client.get(url)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == [parameter]


@pytest.mark.django_db
def test_my_orders_refuse_a_page_size_that_is_not_a_number():
    client = client_for(buyer_create())
    response = client.get("/api/v1/orders/?page_size=ten")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["page_size"]
    assert client.get("/api/v1/orders/?page_size=10").json()["count"] == 0


@pytest.mark.django_db
def test_a_refused_token_gets_a_sentence_not_a_python_dict(api_client):
    buyer = buyer_create()
    refresh = RefreshToken.for_user(buyer)
    expected = {"error": {"code": "authentication_failed", "message": "Given token not valid for any token type",
                          "fields": {}}}
    for token in ("abc.def.ghi", str(refresh)):  # garbage, and a refresh token offered as an access token
        response = api_client.get(reverse("accounts:profile"), HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401
        assert response.json() == expected


@pytest.mark.django_db
@pytest.mark.usefixtures("customs_rules")
def test_deeply_nested_json_is_a_parse_error_for_every_kind_of_caller():
    host, session, variant = make_world()
    _tool, tool_token = live_services.streaming_tool_create(host=host, name="OBS")
    buyer = buyer_create()
    address = address_create(buyer)
    users_before = User.objects.count()
    anonymous, tool = APIClient(), APIClient()
    tool.credentials(HTTP_AUTHORIZATION=f"Bearer {tool_token}")
    calls = [
        (anonymous, reverse("accounts:register"), {}),
        (anonymous, reverse("accounts:login"), {}),
        (anonymous, reverse("accounts:refresh"), {}),
        (anonymous, reverse("landed_cost:landed-cost-quote"), {}),
        (anonymous, reverse("livestream:session-views", args=[session.pk]), {}),
        (tool, reverse("livestream:session-views", args=[session.pk]), {}),
        (client_for(buyer), reverse("accounts:address-list"), {}),
        (client_for(buyer), reverse("orders:cart-line-list"), {}),
        (client_for(buyer), reverse("orders:checkout"), {"HTTP_IDEMPOTENCY_KEY": "deep-json-checkout"}),
        (client_for(host.user), reverse("livestream:host-lineup", args=[session.pk]), {}),
    ]
    for body in (BOTTOMLESS, DEEP):
        for client, url, headers in calls:
            response = client.post(url, body, content_type="application/json", **headers)
            assert (url, response.status_code) == (url, 400)
            assert response.json() == {"error": {"code": "parse_error", "fields": {},
                                                 "message": f"JSON parse error - nested deeper than {MAX_DEPTH} "
                                                            "levels."}}
    # Nothing was made from any of them.
    assert User.objects.count() == users_before
    assert list(Address.objects.filter(buyer=buyer)) == [address]
    assert not CartLine.objects.exists() and not Order.objects.exists()
    assert not ViewReport.objects.exists() and not LineupItem.objects.exists()


NUL_REFUSED = {"error": {"code": "bad_request", "message": "A URL may not contain a NUL character.", "fields": {}}}


@pytest.mark.django_db
@pytest.mark.usefixtures("customs_rules")
def test_a_nul_character_in_a_path_or_query_is_refused_in_the_error_shape(client):
    staff = MembershipFactory()
    brand_owner = priced_variant(product__manufacturer=staff.manufacturer).product
    buyer = buyer_create()
    api = client_for(buyer)
    for url in ("/api/v1/orders/%00/", "/api/v1/orders/x%00y/", "/api/v1/orders/%00/lines/1/fit/",
                "/api/v1/catalog/products/?q=%00", "/api/v1/catalog/products/?%00=1"):
        response = api.get(url)
        assert (url, response.status_code, response.json()) == (url, 400, NUL_REFUSED)
    response = api.post("/api/v1/orders/%00/payment/", {}, format="json")
    assert (response.status_code, response.json()) == (400, NUL_REFUSED)

    # The admin's searches reach PostgreSQL: its autocomplete and a changelist search.
    client.force_login(staff.user)
    autocomplete = {"app_label": "shop", "model_name": "product", "field_name": "brand"}
    assert client.get(reverse("admin:autocomplete"), {**autocomplete, "term": ""}).json()["results"] == [
        {"id": str(brand_owner.brand_id), "text": brand_owner.brand.name}]
    for term in ("\x00", "boot\x00"):
        response = client.get(reverse("admin:autocomplete"), {**autocomplete, "term": term})
        assert (response.status_code, response.json()) == (400, NUL_REFUSED)
    response = client.get(reverse("admin:shop_product_changelist"), {"q": "\x00"})
    assert (response.status_code, response.json()) == (400, NUL_REFUSED)
    # Escaped, it is only text: the search runs and finds nothing.
    response = client.get(reverse("admin:shop_product_changelist"), {"q": "%00"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []
