"""Login and registration are rate limited per client, and a client is its address as our own proxies saw
it: a header the client writes itself never gives it a fresh budget."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from tests.accounts.factories import buyer_create

pytestmark = pytest.mark.django_db


WRONG = "wrong-password"


def login(client, email, password=WRONG, **headers):
    return client.post(reverse("accounts:login"), {"email": email, "password": password}, format="json", **headers)


def test_rotating_forwarded_for_does_not_escape_the_login_rate():
    client = APIClient(REMOTE_ADDR="198.51.100.4")
    statuses = [login(client, f"nobody{i}@example.com", HTTP_X_FORWARDED_FOR=f"10.7.{i}.1").status_code
                for i in range(12)]
    assert statuses == [401] * 10 + [429] * 2


def test_rotating_forwarded_for_does_not_escape_the_registration_rate():
    client = APIClient(REMOTE_ADDR="198.51.100.4")
    statuses = [client.post(reverse("accounts:register"), {"email": f"u{i}@example.com", "password": "Sturdy-pass-42"},
                            format="json", HTTP_X_FORWARDED_FOR=f"10.7.{i}.1").status_code for i in range(7)]
    assert statuses == [202] * 5 + [429] * 2
    assert not get_user_model().objects.filter(email__in=["u5@example.com", "u6@example.com"]).exists()


def test_behind_our_proxy_each_client_has_its_own_budget_and_cannot_forge_another(settings):
    settings.LIVEDOCK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = APIClient(REMOTE_ADDR="10.0.0.5")
    # One client prefixing a new address each time: the proxy's appended hop is what counts.
    statuses = [login(proxy, f"nobody{i}@example.com", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.7").status_code
                for i in range(11)]
    assert statuses == [401] * 10 + [429]
    throttled = login(proxy, "nobody@example.com", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled["Retry-After"]) == throttled.json()["error"]["retry_after_seconds"] > 0
    # Another client behind the same proxy is not held back by it.
    buyer_create(email="anna@example.com")
    response = login(proxy, "anna@example.com", "Sturdy-pass-42", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 200 and set(response.json()) == {"access", "refresh"}
