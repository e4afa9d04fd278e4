"""A buyer's stored language and size system: read and changed through the profile API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import BuyerProfile
from accounts.selectors import BuyerPreferences, buyer_preferences
from tests.accounts.factories import buyer_create, client_for

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_a_new_buyer_reads_english_and_eu_sizes():
    buyer = buyer_create()
    body = client_for(buyer).get(PROFILE).json()
    assert (body["language"], body["size_system"]) == ("en", "EU")
    assert buyer_preferences(user=buyer) == BuyerPreferences(language="en", size_system="EU")


def test_the_buyer_changes_language_and_size_system():
    buyer = buyer_create()
    response = client_for(buyer).patch(PROFILE, {"language": "ja", "size_system": "JP"}, format="json")
    assert response.status_code == 200
    assert (response.json()["language"], response.json()["size_system"]) == ("ja", "JP")
    profile = BuyerProfile.objects.get(user=buyer)
    assert (profile.language, profile.size_system, profile.preferred_currency) == ("ja", "JP", "EUR")


@pytest.mark.parametrize(("changes", "field"), [
    ({"language": "pt"}, "language"), ({"language": "de-DE"}, "language"), ({"language": ""}, "language"),
    ({"size_system": "APPAREL"}, "size_system"), ({"size_system": "eu"}, "size_system"),
    ({"size_system": "MONDO"}, "size_system"), ({"language": "de", "size_system": "XX"}, "size_system"),
])
def test_a_value_outside_the_choices_is_a_400_and_changes_nothing(changes, field):
    buyer = buyer_create()
    client_for(buyer).patch(PROFILE, {"language": "fr", "size_system": "UK"}, format="json")
    response = client_for(buyer).patch(PROFILE, changes, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", [field])
    profile = BuyerProfile.objects.get(user=buyer)
    assert (profile.language, profile.size_system) == ("fr", "UK")


def test_registration_refuses_a_language_outside_the_choices(api_client):
    response = api_client.post(reverse("accounts:register"), {
        "email": "kim@example.com", "password": "Sturdy-pass-42", "language": "klingon"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["language"]
    assert not BuyerProfile.objects.filter(user__email="kim@example.com").exists()


def test_the_database_refuses_values_outside_the_choices():
    buyer = buyer_create()
    for column, value in (("language", "pt"), ("size_system", "APPAREL")):
        with pytest.raises(IntegrityError), transaction.atomic():
            BuyerProfile.objects.filter(user=buyer).update(**{column: value})


def test_anonymous_callers_and_accounts_without_a_profile_have_no_stored_preferences(django_user_model):
    assert buyer_preferences(user=AnonymousUser()) is None
    assert buyer_preferences(user=django_user_model.objects.create_user("staffer")) is None
