import pytest
from django.urls import reverse
from rest_framework_simplejwt.tokens import RefreshToken

from tests.accounts.factories import buyer_create, client_for


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
