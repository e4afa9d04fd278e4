"""Refresh tokens rotate: each works once, a second use (even in parallel) is refused, and logout revokes
one, idempotently."""

import datetime as dt
from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.errors import InvalidToken
from accounts.services import tokens
from config.celery import app as celery_app
from tests.accounts.factories import buyer_create
from tests.helpers import race

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-42"


def login(email="anna@example.com"):
    response = APIClient().post(reverse("accounts:login"), {"email": email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()


def refresh(token):
    return APIClient().post(reverse("accounts:refresh"), {"refresh": token}, format="json")


def logout(token):
    return APIClient().post(reverse("accounts:logout"), {"refresh": token}, format="json")


def signed_in(access) -> bool:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {access}").get(reverse("accounts:profile")).status_code == 200


def test_a_refresh_token_works_once_and_each_refresh_hands_on_a_new_one():
    buyer_create(email="anna@example.com")
    first = login()
    second = refresh(first["refresh"])
    assert second.status_code == 200 and set(second.json()) == {"access", "refresh"}
    assert second.json()["refresh"] != first["refresh"] and signed_in(second.json()["access"])

    replayed = refresh(first["refresh"])
    assert replayed.status_code == 401 and replayed.json()["error"]["code"] == "invalid_token"
    assert refresh(second.json()["refresh"]).status_code == 200
    assert BlacklistedToken.objects.filter(token__user__email="anna@example.com").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
def test_parallel_uses_of_one_refresh_token_get_one_new_pair():
    buyer_create(email="anna@example.com")
    token = login()["refresh"]
    outstanding = OutstandingToken.objects.count()
    results = race([lambda: tokens.token_refresh(refresh=token) for _ in range(8)])
    kinds = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in results)
    assert kinds == {"ok": 1, InvalidToken.__name__: 7}
    assert OutstandingToken.objects.count() == outstanding + 1
    assert BlacklistedToken.objects.count() == 1


def test_logout_revokes_that_token_only_and_repeating_it_changes_nothing():
    buyer_create(email="anna@example.com")
    phone, laptop = login(), login()
    assert logout(phone["refresh"]).status_code == 204
    revoked = BlacklistedToken.objects.count()
    again = logout(phone["refresh"])
    assert (again.status_code, again.content) == (204, b"")
    assert BlacklistedToken.objects.count() == revoked == 1
    assert refresh(phone["refresh"]).status_code == 401
    assert refresh(laptop["refresh"]).status_code == 200


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "access"])
def test_logout_refuses_what_is_not_a_refresh_token_we_issued(token):
    buyer_create(email="anna@example.com")
    pair = login()
    response = logout(pair["access"] if token == "access" else token)
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_token"
    assert BlacklistedToken.objects.count() == 0


def test_refresh_refuses_tokens_not_on_the_outstanding_list_and_accounts_no_longer_active():
    anna = buyer_create(email="anna@example.com")
    legacy = RefreshToken.for_user(anna)
    OutstandingToken.objects.filter(jti=legacy["jti"]).delete()  # as if issued before rotation existed
    assert refresh(str(legacy)).json()["error"]["code"] == "invalid_token"
    assert logout(str(legacy)).status_code == 204

    token = login()["refresh"]
    anna.is_active = False
    anna.save(update_fields=["is_active"])
    assert refresh(token).status_code == 401
    assert not BlacklistedToken.objects.exists()


def test_expired_tokens_are_forgotten_by_the_nightly_beat():
    anna = buyer_create(email="anna@example.com")
    old, used, live = (RefreshToken.for_user(anna) for _ in range(3))
    assert tokens.token_refresh(refresh=str(used))
    past = timezone.now() - dt.timedelta(seconds=1)
    OutstandingToken.objects.filter(jti__in=[old["jti"], used["jti"]]).update(expires_at=past)

    assert celery_app.tasks["accounts.tokens_flush_expired"].apply().get() == 2
    assert set(OutstandingToken.objects.values_list("jti", flat=True)) >= {live["jti"]}
    assert not OutstandingToken.objects.filter(jti__in=[old["jti"], used["jti"]]).exists()
    assert not BlacklistedToken.objects.exists()
    assert settings.CELERY_BEAT_SCHEDULE["accounts-tokens-flush-expired"]["task"] == "accounts.tokens_flush_expired"
