"""Languages stored before the catalog's languages were checked become one of them."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from accounts.models import BuyerProfile
from tests.accounts.factories import buyer_create

migration = importlib.import_module("accounts.migrations.0003_buyer_language_and_size_system")

pytestmark = pytest.mark.django_db


def test_stored_languages_keep_their_language_or_become_english():
    stored = ["de-DE", "zh_CN", "FR", "ja", "pt-BR", "", "klingon", "en"]
    with connection.cursor() as cursor:  # the table as it was before the check existed (rolled back with the test)
        cursor.execute("ALTER TABLE orders_buyerprofile DROP CONSTRAINT buyer_profile_language_valid")
    buyers = [buyer_create() for _ in stored]
    for buyer, language in zip(buyers, stored, strict=True):
        BuyerProfile.objects.filter(user=buyer).update(language=language)

    migration.languages_to_catalog_codes(apps, None)

    languages = [BuyerProfile.objects.get(user=buyer).language for buyer in buyers]
    assert languages == ["de", "zh", "fr", "ja", "en", "en", "en", "en"]
