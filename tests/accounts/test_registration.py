"""Registration answers the same whether or not the address has an account, creates one only when it has
none, e-mails the address's owner either way, and refuses addresses that only look like another."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import BuyerProfile
from accounts.services import buyers
from tests.accounts.factories import buyer_create
from tests.helpers import race

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-42"


def register(email, password=PASSWORD, remote="198.51.100.4", **extra):
    return APIClient(REMOTE_ADDR=remote).post(reverse("accounts:register"), {"email": email, "password": password,
                                                                             **extra}, format="json")


def login(email, password):
    return APIClient(REMOTE_ADDR="192.0.2.1").post(reverse("accounts:login"), {"email": email, "password": password},
                                                   format="json")


def test_new_and_existing_addresses_get_the_same_answer(tasks_inline, mailoutbox, django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        existing = register("Anna@Example.com", "Another-pass-99", full_name="Mallory", preferred_currency="JPY")
        new = register("Ben@Example.com", full_name="Ben", preferred_currency="eur")
    assert (existing.status_code, existing.json()) == (new.status_code, new.json())
    assert new.status_code == 202 and set(new.json()) == {"message"}
    assert existing.content == new.content

    # Only the new address got an account, and the existing one is untouched.
    assert get_user_model().objects.filter(username="anna@example.com").count() == 1
    assert BuyerProfile.objects.get(user__username="ben@example.com").preferred_currency == "EUR"
    assert BuyerProfile.objects.get(user__username="anna@example.com").full_name == ""
    assert login("anna@example.com", "Another-pass-99").status_code == 401
    assert login("anna@example.com", PASSWORD).status_code == 200
    # The client then logs in.
    assert set(login("ben@example.com", PASSWORD).json()) == {"access", "refresh"}

    # Each owner hears about it.
    assert tasks_inline.sent == [("accounts.email_send", ("registration_attempt", "anna@example.com")),
                                 ("accounts.email_send", ("welcome", "ben@example.com"))]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["anna@example.com"], "Someone tried to register with your email address"),
        (["ben@example.com"], "Welcome to Livedock")]
    assert "already has one" in mailoutbox[0].body and "Mallory" not in mailoutbox[0].body


def test_repeated_attempts_on_an_address_send_one_note_an_hour(tasks_inline, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = {register("anna@example.com", remote=f"203.0.113.{i}").status_code for i in range(4)}
    assert answers == {202}
    assert len(tasks_inline.sent) == 4
    assert [m.to for m in mailoutbox] == [["anna@example.com"]]


@pytest.mark.parametrize("email", [
    "kenji@buyer.example\u200b", "ken\u200bji@buyer.example", "kenji@buyer\u00ad.example", "a@localhost",
    "user@[127.0.0.1]", "user@intranet",
])
def test_look_alike_and_non_internet_addresses_are_refused(email, tasks_inline, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    buyer_create(email="kenji@buyer.example")
    users = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(email)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and list(response.json()["error"]["fields"]) == ["email"]
    assert get_user_model().objects.count() == users
    assert tasks_inline.sent == [] and mailoutbox == []


def test_one_mailbox_spelt_two_ways_is_one_account(tasks_inline, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert register("user@bücher.example").status_code == 202
        assert register("USER@xn--bcher-kva.example").status_code == 202
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["user@xn--bcher-kva.example"]
    assert [m.subject for m in mailoutbox] == ["Welcome to Livedock",
                                               "Someone tried to register with your email address"]
    assert login("user@bücher.example", PASSWORD).status_code == 200
    assert login("user@xn--bcher-kva.example", PASSWORD).status_code == 200


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"email": "not-an-email"}, "invalid", "email"),
    ({"password": "123"}, "invalid", "password"),
    ({"preferred_currency": "XXX"}, "unsupported_currency", "preferred_currency"),
])
@pytest.mark.parametrize("existing", [False, True])
def test_refusals_depend_only_on_the_input(body, code, field, existing, tasks_inline, mailoutbox,
                                          django_capture_on_commit_callbacks):
    if existing:
        buyer_create(email="anna@example.com")
    users = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(reverse("accounts:register"), {"email": "anna@example.com", "password": PASSWORD,
                                                                   **body}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code and field in response.json()["error"]["fields"]
    assert get_user_model().objects.count() == users
    assert tasks_inline.sent == [] and mailoutbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
def test_parallel_registrations_of_one_address_make_one_account(tasks_inline, mailoutbox):
    results = race([lambda: buyers.buyer_register(email="race@example.com", password=PASSWORD) for _ in range(6)])
    assert Counter("created" if value else "existed" for kind, value in results if kind == "ok") == {
        "created": 1, "existed": 5}
    assert get_user_model().objects.filter(username="race@example.com").count() == 1
    assert BuyerProfile.objects.filter(user__username="race@example.com").count() == 1
    assert sorted(m.subject for m in mailoutbox) == ["Someone tried to register with your email address",
                                                     "Welcome to Livedock"]
