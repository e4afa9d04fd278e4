"""Every form that takes a password (the admin's sign-in, the host console's, the buyer API's login) counts
attempts the same way: a rate per client address, shared by all of them, and the backoff per (account,
client). A refused attempt answers 429 with Retry-After, says so on the page, and signs nobody in."""

from collections import Counter

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.helpers import race
from tests.shop.factories import UserFactory

PASSWORD = "pass-word-123"  # the factory's
PAGES = {"admin": "/admin/login/", "console": "/accounts/login/"}
AFTER = {"admin": "/admin/", "console": "/live/console/"}  # where each page's form sends you on
WRONG_PAGE_TEXT = {"admin": "Please enter the correct username and password for a staff account",
                   "console": "Please enter a correct username and password"}


def staff_member():
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def sign_in(page, username, password, remote="198.51.100.4"):
    client = Client(REMOTE_ADDR=remote)
    return client, client.post(PAGES[page], {"username": username, "password": password, "next": AFTER[page]})


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_forty_wrong_passwords_are_throttled_and_the_right_one_waits_on_that_client(page):
    user = staff_member()
    answers = [sign_in(page, "operator", f"guess{i}")[1] for i in range(40)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 35
    assert all(WRONG_PAGE_TEXT[page] in a.content.decode() for a in answers[:5])
    # The backoff first (this account from this client), then the client's rate (any account).
    assert "Too many failed sign-ins for this account from your network; try again in 10 seconds." in \
        answers[5].content.decode()
    assert answers[5]["Retry-After"] == "10"
    assert "Too many sign-in attempts from your network; try again in" in answers[-1].content.decode()
    assert 0 < int(answers[-1]["Retry-After"]) <= 120  # 40 in a minute: until they fade from the window

    client, right = sign_in(page, "operator", PASSWORD)
    assert right.status_code == 429 and not signed_in(client)
    user.refresh_from_db()
    assert user.last_login is None

    client, elsewhere = sign_in(page, "operator", PASSWORD, remote="192.0.2.77")
    assert elsewhere.status_code == 302 and signed_in(client)
    assert elsewhere["Location"] == AFTER[page]


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_client_rate_spans_accounts(page):
    statuses = [sign_in(page, f"someone{i}", "guess")[1].status_code for i in range(11)]
    assert statuses == [200] * 10 + [429]


@pytest.mark.django_db
def test_one_client_has_one_budget_across_the_api_and_the_pages():
    api = APIClient(REMOTE_ADDR="198.51.100.4")
    for i in range(5):
        assert api.post(reverse("accounts:login"), {"email": f"x{i}@example.com", "password": "guess"},
                        format="json").status_code == 401
    assert [sign_in("admin", f"someone{i}", "guess")[1].status_code for i in range(3)] == [200] * 3
    assert [sign_in("console", f"someone{i}", "guess")[1].status_code for i in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_pages_without_a_password_are_not_counted():
    for _ in range(20):
        assert Client(REMOTE_ADDR="198.51.100.4").get(PAGES["admin"]).status_code == 200
        assert sign_in("console", "operator", "")[1].status_code == 200
    staff_member()
    assert sign_in("admin", "operator", PASSWORD)[1].status_code == 302


@pytest.mark.django_db
def test_rotating_forwarded_for_is_one_client_unless_it_comes_from_our_proxy(settings):
    staff_member()
    statuses = [Client(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=f"10.7.{i}.1")
                .post(PAGES["admin"], {"username": "operator", "password": "guess"}).status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    settings.LIVEDOCK_TRUSTED_PROXIES = ["198.51.100.4"]
    client = Client(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client.post(PAGES["admin"], {"username": "operator", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
@pytest.mark.parametrize("page", sorted(PAGES))
def test_forty_parallel_guesses_get_exactly_the_free_attempts(page):
    staff_member()

    def guess(i):
        client, response = sign_in(page, "operator", f"guess{i}")
        return response.status_code, signed_in(client)

    results = race([lambda i=i: guess(i) for i in range(40)])
    assert Counter(value for kind, value in results if kind == "ok") == {(200, False): 5, (429, False): 35}


@pytest.mark.django_db
def test_the_admins_password_change_checks_the_current_password_like_a_sign_in():
    user = staff_member()

    def change(old, remote="198.51.100.4"):
        client = Client(REMOTE_ADDR=remote)
        client.force_login(user)
        return client.post("/admin/password_change/", {"old_password": old, "new_password1": "Brand-new-pass-77",
                                                        "new_password2": "Brand-new-pass-77"})

    answers = [change(f"guess{i}") for i in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "Your old password was entered incorrectly" in answers[0].content.decode()
    assert "try again in 10 seconds" in answers[5].content.decode() and answers[5]["Retry-After"] == "10"
    assert change(PASSWORD).status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    done = change(PASSWORD, remote="192.0.2.77")
    assert (done.status_code, done["Location"]) == (302, "/admin/password_change/done/")
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-77")


@pytest.mark.django_db
def test_the_admins_password_change_is_for_signed_in_staff_only():
    response = Client().get("/admin/password_change/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/password_change/")
    client = Client()
    client.force_login(staff_member())
    page = client.get("/admin/password_change/")
    assert page.status_code == 200 and page.context["site_header"] and "old_password" in page.content.decode()
