"""Buyers: their profile (currency, language, size system) and saved addresses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shop.models import Language, SizeSystem

# The size systems a buyer may read shoe sizes in (apparel sizes are not a system one prefers).
PREFERRED_SIZE_SYSTEMS = [(system.value, system.label) for system in SizeSystem if system != SizeSystem.APPAREL]


class BuyerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_profile")
    full_name = models.CharField(max_length=150, blank=True)
    preferred_currency = models.CharField(max_length=3, default="USD")
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.EN,
                                help_text="The catalog answers in this language unless a request asks for another.")
    size_system = models.CharField(max_length=10, choices=PREFERRED_SIZE_SYSTEMS, default=SizeSystem.EU,
                                   help_text="Size recommendations answer in this system unless asked for another.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_buyerprofile"  # kept from before the app split: no data moved
        constraints = [
            models.CheckConstraint(condition=Q(language__in=Language.values), name="buyer_profile_language_valid"),
            models.CheckConstraint(condition=Q(size_system__in=[code for code, _ in PREFERRED_SIZE_SYSTEMS]),
                                   name="buyer_profile_size_system_valid"),
        ]

    def __str__(self) -> str:
        return self.user.get_username()


class Address(models.Model):
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    full_name = models.CharField(max_length=150)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True, help_text="State, province or prefecture.")
    postal_code = models.CharField(max_length=12)
    country = models.CharField(max_length=2)
    phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_address"  # kept from before the app split: no data moved
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="address_country_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.city} {self.country}"

    def snapshot(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in
                ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone")}

