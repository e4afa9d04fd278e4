import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Address, BuyerProfile
from tests.accounts.factories import address_create, buyer_create, client_for

pytestmark = pytest.mark.django_db


def test_register_login_refresh_and_use_the_token(api_client):
    response = api_client.post(reverse("accounts:register"), {
        "email": "Anna@Example.com", "password": "Sturdy-pass-42", "full_name": "Anna", "preferred_currency": "eur",
    }, format="json")
    assert response.status_code == 202
    assert set(response.json()) == {"message"}
    profile = BuyerProfile.objects.get(user__email="anna@example.com")
    assert profile.preferred_currency == "EUR"

    response = api_client.post(reverse("accounts:login"), {"email": "anna@example.com", "password": "Sturdy-pass-42"},
                               format="json")
    assert response.status_code == 200
    tokens = response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get(reverse("accounts:profile")).json() == {
        "email": "anna@example.com", "full_name": "Anna", "preferred_currency": "EUR", "language": "en",
        "size_system": "EU"}

    response = api_client.post(reverse("accounts:refresh"), {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200 and "access" in response.json()
    response = api_client.post(reverse("accounts:refresh"), {"refresh": "garbage"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_wrong_password_is_401_and_login_is_rate_limited_per_address(api_client):
    for i in range(10):
        response = api_client.post(reverse("accounts:login"), {"email": f"nobody{i}@example.com", "password": "wrong"},
                                   format="json")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"
    buyer_create(email="anna@example.com")
    response = api_client.post(reverse("accounts:login"), {"email": "anna@example.com", "password": "Sturdy-pass-42"},
                               format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["retry_after_seconds"] > 0


def test_registration_is_rate_limited(api_client):
    for i in range(5):
        assert api_client.post(reverse("accounts:register"),
                               {"email": f"u{i}@example.com", "password": "Sturdy-pass-42"},
                               format="json").status_code == 202
    response = api_client.post(reverse("accounts:register"), {"email": "u9@example.com", "password": "Sturdy-pass-42"},
                               format="json")
    assert response.status_code == 429
    assert not get_user_model().objects.filter(email="u9@example.com").exists()


def test_anonymous_cannot_use_buyer_endpoints(api_client):
    for name in ("accounts:profile", "accounts:address-list", "orders:cart", "orders:order-list"):
        response = api_client.get(reverse(name))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("country", "postal_code", "region", "ok"),
    [
        ("DE", "80331", "", True), ("DE", "8033", "", False),
        ("GB", "SW1A 1AA", "", True), ("GB", "12345", "", False),
        ("US", "94103-1234", "CA", True), ("US", "94103", "", False),
        ("JP", "100-0001", "Tokyo", True), ("JP", "1000", "Tokyo", False),
        ("KR", "03187", "", True), ("AU", "2000", "NSW", True), ("CA", "M5V 3L9", "ON", True),
        ("CA", "M5V 3LL", "ON", False), ("SG", "018956", "", True), ("NL", "1012 AB", "", True),
        ("PL", "00-001", "", True), ("PL", "00001", "", False), ("ZZ", "123", "", False),
    ],
)
def test_address_postal_codes_per_destination(country, postal_code, region, ok):
    buyer = buyer_create()
    client = client_for(buyer)
    response = client.post(reverse("accounts:address-list"), {
        "full_name": "A B", "line1": "Street 1", "city": "Town", "country": country, "postal_code": postal_code,
        "region": region}, format="json")
    assert (response.status_code == 201) is ok, response.json()
    if not ok:
        assert response.json()["error"]["code"] == "address_invalid"
        assert Address.objects.filter(buyer=buyer).count() == 0


def test_buyers_see_only_their_own_addresses():
    anna, ben = buyer_create(), buyer_create()
    annas = address_create(anna)
    client = client_for(ben)
    assert client.get(reverse("accounts:address-list")).json() == []
    url = reverse("accounts:address-detail", args=[annas.pk])
    assert client.patch(url, {"city": "Berlin"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    annas.refresh_from_db()
    assert annas.city == "Munich"
