"""Reads of buyers' own data."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Address, BuyerProfile
from shop import selectors as shop_selectors


def address_list(*, buyer) -> QuerySet[Address]:
    return Address.objects.filter(buyer=buyer).order_by("-created_at", "-id")



def buyer_currency(*, buyer, requested: str | None) -> str:
    """The currency to charge in: the one asked for, or the buyer's preferred one. Only reads (nothing when a
    currency is asked for, or the profile came with the user): an account without a profile yet is charged in
    the default currency."""
    preferred = None
    if not requested:
        # The model's class, also for a user signed in by the session (Django hands it over as a lazy object).
        profile_relation = buyer._meta.model.buyer_profile.related
        if profile_relation.is_cached(buyer):
            profile = profile_relation.get_cached_value(buyer)
            preferred = profile.preferred_currency if profile is not None else None
        else:
            preferred = BuyerProfile.objects.filter(user=buyer).values_list("preferred_currency", flat=True).first()
    return shop_selectors.currency_validate(requested or preferred or settings.LIVEDOCK_DEFAULT_CURRENCY)


@dataclass(frozen=True)
class BuyerPreferences:
    language: str
    size_system: str


def buyer_preferences(*, user) -> BuyerPreferences | None:
    """A signed-in buyer's stored language and size system; None for anonymous callers and accounts without a
    profile yet (the request's own headers decide then). One query, none for anonymous callers."""
    if user is None or not user.is_authenticated:
        return None
    row = BuyerProfile.objects.filter(user=user).values_list("language", "size_system").first()
    return BuyerPreferences(*row) if row is not None else None
