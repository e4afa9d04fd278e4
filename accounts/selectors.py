"""Reads of buyers' own data."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Address, BuyerProfile
from shop import selectors as shop_selectors


def address_list(*, buyer) -> QuerySet[Address]:
    return Address.objects.filter(buyer=buyer).order_by("-created_at", "-id")



def buyer_currency(*, buyer, requested: str | None) -> str:
    """The currency to charge in: the one asked for, or the buyer's preferred one. Only reads: an account
    without a profile yet is charged in the default currency."""
    preferred = BuyerProfile.objects.filter(user=buyer).values_list("preferred_currency", flat=True).first()
    return shop_selectors.currency_validate(requested or preferred or settings.LIVEDOCK_DEFAULT_CURRENCY)

