"""The cart and checkout read the user with their buyer profile, checking the token as everywhere else."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tests.accounts.factories import buyer_create
from tests.shop.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def test_the_cart_is_priced_in_the_currency_of_the_profile_read_with_the_user(rates):
    response = bearer(buyer_create(currency="JPY")).get(reverse("orders:cart"))
    assert response.status_code == 200
    assert response.json()["currency"] == "JPY"


def test_an_account_without_a_buyer_profile_gets_the_default_currency(rates, settings):
    response = bearer(UserFactory()).get(reverse("orders:cart"))
    assert response.status_code == 200
    assert response.json()["currency"] == settings.LIVEDOCK_DEFAULT_CURRENCY


def test_a_deactivated_account_is_refused_with_a_valid_token(rates):
    buyer = buyer_create()
    client = bearer(buyer)
    buyer.is_active = False
    buyer.save(update_fields=["is_active"])
    for response in (client.get(reverse("orders:cart")),
                     client.post(reverse("orders:checkout"), {"address_id": 1}, format="json",
                                 HTTP_IDEMPOTENCY_KEY="inactive-key-1")):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"
