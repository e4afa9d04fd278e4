"""Accounts registered before addresses were normalised keep signing in with the spelling now looked up."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

migration = importlib.import_module("accounts.migrations.0002_account_names_normalise")

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-42"


def legacy(username, **fields):
    return get_user_model().objects.create_user(username=username, email=fields.pop("email", username),
                                                password=PASSWORD, **fields)


def test_legacy_names_take_their_normal_spelling_unless_it_is_taken_or_refused():
    idn = legacy("user@bücher.example")
    dotted = legacy("anna@buyer.example.")
    taken = legacy("kenji@bücher.example")
    holder = legacy("kenji@xn--bcher-kva.example")
    invisible = legacy("kenji@buyer.example\u200b")
    staff = legacy("boss@bücher.example", is_staff=True)
    plain = legacy("olivia@buyer.example")

    migration.normalise_account_names(apps, None)

    names = dict(get_user_model().objects.values_list("pk", "username"))
    assert names == {idn.pk: "user@xn--bcher-kva.example", dotted.pk: "anna@buyer.example",
                     taken.pk: "kenji@bücher.example", holder.pk: "kenji@xn--bcher-kva.example",
                     invisible.pk: "kenji@buyer.example\u200b", staff.pk: "boss@bücher.example",
                     plain.pk: "olivia@buyer.example"}
    assert get_user_model().objects.get(pk=idn.pk).email == "user@xn--bcher-kva.example"
    response = APIClient().post(reverse("accounts:login"), {"email": "user@bücher.example", "password": PASSWORD},
                                format="json")
    assert response.status_code == 200
