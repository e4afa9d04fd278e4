"""Changing a password (knowing the old one) and resetting it (with an e-mailed link): either signs the
account out everywhere; a reset request answers the same for every address."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from accounts.errors import PasswordResetInvalid
from accounts.services import passwords
from tests.accounts.factories import buyer_create
from tests.helpers import race
from tests.shop.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD, NEW_PASSWORD = "Sturdy-pass-42", "Fresh-start-2027"


def login(email="anna@example.com", password=PASSWORD):
    return APIClient(REMOTE_ADDR="192.0.2.1").post(reverse("accounts:login"), {"email": email, "password": password},
                                                   format="json")


def refresh(token):
    return APIClient().post(reverse("accounts:refresh"), {"refresh": token}, format="json")


def change(access, old, new=NEW_PASSWORD):
    client = APIClient(REMOTE_ADDR="198.51.100.4", HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.post(reverse("accounts:password-change"), {"old_password": old, "new_password": new}, format="json")


def reset_request(email, remote="198.51.100.4"):
    return APIClient(REMOTE_ADDR=remote).post(reverse("accounts:password-reset"), {"email": email}, format="json")


def reset_confirm(uid, token, new=NEW_PASSWORD):
    return APIClient().post(reverse("accounts:password-reset-confirm"),
                            {"uid": uid, "token": token, "new_password": new}, format="json")


def link_in(message) -> tuple[str, str]:
    found = re.search(r"uid=([\w-]+)&token=([\w-]+)", message.body)
    assert found, message.body
    return found.group(1), found.group(2)


def test_changing_the_password_signs_out_every_other_device(tasks_inline, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    phone, laptop = login().json(), login().json()
    with django_capture_on_commit_callbacks(execute=True):
        response = change(phone["access"], PASSWORD)
    assert response.status_code == 200 and set(response.json()) == {"access", "refresh"}
    assert refresh(phone["refresh"]).status_code == 401
    assert refresh(laptop["refresh"]).status_code == 401
    assert refresh(response.json()["refresh"]).status_code == 200
    assert login().status_code == 401 and login(password=NEW_PASSWORD).status_code == 200
    assert [(m.to, m.subject) for m in mailoutbox] == [(["anna@example.com"], "Your Livedock password was changed")]


@pytest.mark.parametrize(("old", "new", "code", "field"), [
    ("wrong-password", NEW_PASSWORD, "password_incorrect", "old_password"),
    (PASSWORD, "123", "invalid", "new_password"),
    (PASSWORD, "anna@example.com", "invalid", "new_password"),
])
def test_a_refused_change_changes_nothing(old, new, code, field, tasks_inline, mailoutbox,
                                        django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    pair = login().json()
    with django_capture_on_commit_callbacks(execute=True):
        response = change(pair["access"], old, new)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code and field in response.json()["error"]["fields"]
    assert login().status_code == 200
    assert not BlacklistedToken.objects.exists() and refresh(pair["refresh"]).status_code == 200
    assert tasks_inline.sent == [] and mailoutbox == []


def test_guessing_the_old_password_backs_off_like_a_sign_in():
    buyer_create(email="anna@example.com")
    access = login().json()["access"]
    statuses = [change(access, f"guess{i}").status_code for i in range(6)]
    assert statuses == [400] * 5 + [429]
    assert change(access, PASSWORD).json()["error"]["code"] == "login_throttled"
    assert login().status_code == 200  # from another client, the old password still works


def test_signed_out_callers_cannot_change_a_password():
    buyer_create(email="anna@example.com")
    response = APIClient().post(reverse("accounts:password-change"), {"old_password": PASSWORD,
                                                                      "new_password": NEW_PASSWORD}, format="json")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    assert login().status_code == 200


def test_a_reset_link_sets_a_new_password_once_and_signs_out_everywhere(tasks_inline, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    devices = [login().json()["refresh"] for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = reset_request("Anna@Example.com")
    assert response.status_code == 202
    assert [(m.to, m.subject) for m in mailoutbox] == [(["anna@example.com"], "Reset your Livedock password")]
    assert "http://localhost:3000/reset-password?uid=" in mailoutbox[0].body
    uid, token = link_in(mailoutbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = reset_confirm(uid, token)
    assert (confirmed.status_code, confirmed.content) == (204, b"")
    assert [refresh(device).status_code for device in devices] == [401, 401]
    assert login().status_code == 401 and login(password=NEW_PASSWORD).status_code == 200
    assert mailoutbox[-1].subject == "Your Livedock password was changed"

    again = reset_confirm(uid, token, "Yet-another-pass-88")
    assert again.status_code == 400 and again.json()["error"]["code"] == "password_reset_invalid"
    assert login(password=NEW_PASSWORD).status_code == 200


def test_a_reset_request_answers_the_same_for_every_address(tasks_inline, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    UserFactory(username="staff@example.com", email="staff@example.com", is_staff=True)
    UserFactory(username="gone@example.com", email="gone@example.com", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [reset_request(email, remote=f"203.0.113.{i}") for i, email in enumerate(
            ["anna@example.com", "nobody@example.com", "staff@example.com", "gone@example.com"])]
    assert {(a.status_code, a.content) for a in answers} == {(202, answers[0].content)}
    assert [task for task, _ in tasks_inline.sent] == ["accounts.email_send"] * 4
    assert [m.to for m in mailoutbox] == [["anna@example.com"]]  # staff reset through an operator


def test_reset_mails_to_one_address_are_spaced(tasks_inline, mailoutbox, django_capture_on_commit_callbacks):
    buyer_create(email="anna@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert {reset_request("anna@example.com", remote=f"203.0.113.{i}").status_code for i in range(3)} == {202}
    assert len(mailoutbox) == 1


def test_reset_requests_are_rate_limited_per_client():
    statuses = [reset_request(f"x{i}@example.com", remote="198.51.100.4").status_code for i in range(6)]
    assert statuses == [202] * 5 + [429]


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


@pytest.mark.parametrize("case", ["tampered", "other_user", "garbage_uid", "huge_uid", "expired", "staff"])
def test_links_that_are_not_valid_change_nothing(case, monkeypatch):
    anna = buyer_create(email="anna@example.com")
    ben = buyer_create(email="ben@example.com")
    generator = PasswordResetTokenGenerator()
    uid, token = _uid(anna), generator.make_token(anna)
    if case == "tampered":
        token = token[:-1] + ("a" if token[-1] != "a" else "b")
    elif case == "other_user":
        uid = _uid(ben)
    elif case == "garbage_uid":
        uid = "!!!"
    elif case == "huge_uid":
        uid = urlsafe_base64_encode(force_bytes(10**30))
    elif case == "expired":
        later = generator._now() + dt.timedelta(hours=2)
        monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    elif case == "staff":
        anna.is_staff = True
        anna.save(update_fields=["is_staff"])
    response = reset_confirm(uid, token)
    assert response.status_code == 400 and response.json()["error"]["code"] == "password_reset_invalid"
    assert all(user.check_password(PASSWORD) for user in get_user_model().objects.filter(pk__in=[anna.pk, ben.pk]))


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
def test_two_uses_of_one_link_at_once_set_one_password(tasks_inline, mailoutbox):
    anna = buyer_create(email="anna@example.com")
    uid, token = _uid(anna), PasswordResetTokenGenerator().make_token(anna)
    results = race([lambda i=i: passwords.password_reset_confirm(uid=uid, token=token, new_password=f"Racing-pass-{i}7")
                    for i in range(4)])
    assert Counter(kind if kind == "ok" else type(value).__name__ for kind, value in results) == {
        "ok": 1, PasswordResetInvalid.__name__: 3}
    winner = next(i for i, (kind, _) in enumerate(results) if kind == "ok")
    anna.refresh_from_db()
    assert anna.check_password(f"Racing-pass-{winner}7")
    assert [m.subject for m in mailoutbox] == ["Welcome to Livedock", "Your Livedock password was changed"]
