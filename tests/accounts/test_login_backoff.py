"""Failed passwords slow down the client that sends them, for that account only: nobody can lock the owner
out, and the right password from a client that has not been failing keeps working."""

import time
from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.errors import LoginThrottled
from accounts.services import sign_in
from tests.accounts.factories import buyer_create
from tests.helpers import race

PASSWORD, WRONG = "Sturdy-pass-42", "wrong-password"


def login(email, password, remote="198.51.100.4", **headers):
    return APIClient(REMOTE_ADDR=remote).post(reverse("accounts:login"), {"email": email, "password": password},
                                              format="json", **headers)


@pytest.fixture
def no_client_rate(settings):
    """Only the backoff under test: the per-client rate, tested elsewhere, out of the way."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth-login": "1000/min"}}


def test_the_pause_doubles_from_the_fifth_attempt_up_to_fifteen_minutes():
    assert [sign_in.login_backoff_seconds(attempt=n) for n in range(1, 14)] == [
        0, 0, 0, 0, 10, 20, 40, 80, 160, 320, 640, 900, 900]
    assert sign_in.login_backoff_seconds(attempt=10_000) == 900


@pytest.mark.django_db
def test_wrong_passwords_from_rotating_clients_never_lock_the_owner_out(settings, no_client_rate):
    settings.LIVEDOCK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    buyer_create(email="victim@example.com")
    # Twenty strangers behind our load balancer, five wrong passwords each.
    for i in range(20):
        statuses = [login("victim@example.com", WRONG, remote="10.0.0.5", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
                    .status_code for _ in range(5)]
        assert statuses == [401] * 5
    # The owner, from a client that has not been failing, upper-casing the address for good measure.
    response = login("VICTIM@example.com", PASSWORD, remote="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert response.status_code == 200 and set(response.json()) == {"access", "refresh"}


@pytest.mark.django_db
def test_the_probes_attack_now_slows_only_the_attacker(no_client_rate):
    """Five wrong passwords with a new X-Forwarded-For each: one client (the header is not believed), so its
    sixth attempt waits; the right password from elsewhere still works."""
    buyer_create(email="victim@example.com")
    statuses = [login("victim@example.com", WRONG, HTTP_X_FORWARDED_FOR=f"10.7.{i}.1").status_code for i in range(5)]
    assert statuses == [401] * 5
    refused = login("victim@example.com", WRONG, HTTP_X_FORWARDED_FOR="10.7.5.1")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "login_throttled"
    assert refused.json()["error"]["retry_after_seconds"] == int(refused["Retry-After"]) == 10
    # Even the right password waits on the failing client: it cannot tell the owner from the guesser.
    assert login("victim@example.com", PASSWORD).json()["error"]["code"] == "login_throttled"
    assert login("victim@example.com", PASSWORD, remote="192.0.2.77").status_code == 200
    # Another account from the failing client is not held back either.
    buyer_create(email="other@example.com")
    assert login("other@example.com", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_a_client_that_keeps_failing_waits_twice_as_long_each_time(settings, no_client_rate):
    settings.LIVEDOCK_LOGIN_BACKOFF_BASE_SECONDS = 1
    settings.LIVEDOCK_LOGIN_BACKOFF_MAX_SECONDS = 2
    buyer_create(email="anna@example.com")
    assert [login("anna@example.com", WRONG).status_code for _ in range(5)] == [401] * 5
    waits = []
    for _ in range(3):
        refused = login("anna@example.com", WRONG)
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        time.sleep(waits[-1] + 0.1)
        assert login("anna@example.com", WRONG).status_code == 401
    assert waits == [1, 2, 2]  # doubled, then capped


@pytest.mark.django_db
def test_the_right_password_clears_the_count(no_client_rate):
    buyer_create(email="anna@example.com")
    assert [login("anna@example.com", WRONG).status_code for _ in range(4)] == [401] * 4
    assert login("anna@example.com", PASSWORD).status_code == 200
    statuses = [login("anna@example.com", WRONG).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


@pytest.mark.django_db
def test_unknown_accounts_answer_exactly_like_known_ones(no_client_rate):
    buyer_create(email="anna@example.com")
    known = [(r.status_code, r.json()["error"]["code"]) for r in (login("anna@example.com", WRONG) for _ in range(6))]
    unknown = [(r.status_code, r.json()["error"]["code"]) for r in (login("ghost@example.com", WRONG)
                                                                   for _ in range(6))]
    assert known == unknown == [(401, "invalid_credentials")] * 5 + [(429, "login_throttled")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
def test_parallel_guesses_from_one_client_get_exactly_the_free_attempts():
    buyer_create(email="anna@example.com")
    results = race([lambda: sign_in.password_check(username="anna@example.com", password=WRONG,
                                                   client="198.51.100.4") for _ in range(20)]
                   + [lambda: sign_in.password_check(username="anna@example.com", password=PASSWORD,
                                                     client="192.0.2.77")])
    owner = results.pop()
    assert owner[0] == "ok" and owner[1].email == "anna@example.com"
    outcomes = Counter("wrong" if kind == "ok" and value is None else type(value).__name__ for kind, value in results)
    assert outcomes == {"wrong": 5, LoginThrottled.__name__: 15}
