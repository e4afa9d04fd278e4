"""The catalog and buyers of the plain-checkout benchmarks (bench/checkout_profile.py, bench/checkout_vs_oscar.py):
900 buyable SKUs (300 shoes in 3 sizes, from three factories, one pricing in CNY and two in USD) with plenty
of stock, buyers in Germany paying in EUR (the EU import regime: duty, VAT and shipping are quoted), the
customs rules the project ships, and a JWT access token per buyer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "customs" / "rules-2026-11.json"


@dataclass(frozen=True)
class Buyer:
    token: str
    address_id: int


@dataclass(frozen=True)
class CheckoutSeed:
    skus: list[str]
    buyers: list[Buyer]


def seed_checkout(*, buyers: int, products: int = 300, stock: int = 1_000_000) -> CheckoutSeed:
    """Migrate the (empty) database and fill it. Call after django_setup()."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import Address, BuyerProfile
    from landed_cost.services import customs_rules_load
    from shop import services
    from shop.models import Brand, Category, FxRate, Manufacturer, Price, Product, StockLevel, Variant, Warehouse
    from shop.validators import uscc_check_character

    call_command("migrate", "--noinput", "-v", "0")
    for quote, rate in (("EUR", "0.86"), ("JPY", "150"), ("CNY", "7.10"), ("GBP", "0.75")):
        FxRate.objects.create(base="USD", quote=quote, rate=Decimal(rate), as_of=dt.date(2026, 11, 20),
                              source="bench")
    footwear = services.category_save(category=Category(name="Footwear", slug="footwear"))
    boots = services.category_save(category=Category(name="Boots", slug="boots", parent=footwear))
    makers = []
    for i, currency in enumerate(("CNY", "USD", "USD")):
        body = f"9133030000000000{i}"
        maker = Manufacturer.objects.create(name=f"Checkout Factory {i}", slug=f"checkout-{i}",
                                            customs_code=body + uscc_check_character(body),
                                            pricing_currency=currency)
        maker.default_warehouse = Warehouse.objects.create(manufacturer=maker, code=f"wz-{i}", name="Wenzhou",
                                                           country="CN")
        maker.save(update_fields=["default_warehouse"])
        makers.append((maker, Brand.objects.create(manufacturer=maker, name=f"Brand {i}", slug=f"brand-{i}")))
    shoes = Product.objects.bulk_create([
        Product(manufacturer=makers[i % 3][0], brand=makers[i % 3][1], category=boots, name=f"Leather boot {i}",
                slug=f"leather-boot-{i}", upper_material="leather", hs_code="640391", cn_commodity_code="6403911900")
        for i in range(products)])
    variants = Variant.objects.bulk_create([
        Variant(product=shoe, sku=f"BOOT-{shoe.pk}-{size}", size_label=size, net_weight_kg=Decimal("0.9"),
                gross_weight_kg=Decimal("1.2"))
        for shoe in shoes for size in ("40", "42", "44")])
    Price.objects.bulk_create([
        Price(variant=v, currency=v.product.manufacturer.pricing_currency,
              amount=(Decimal(20 + i // 3 % 100) * (7 if v.product.manufacturer.pricing_currency == "CNY" else 1)))
        for i, v in enumerate(variants)])
    StockLevel.objects.bulk_create([
        StockLevel(variant=v, warehouse_id=v.product.manufacturer.default_warehouse_id, on_hand=stock)
        for v in variants])
    services.product_listing_refresh()

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [user_model(username=f"checkout{i}@example.com", email=f"checkout{i}@example.com", password="!")  # noqa: S106
         for i in range(buyers)], batch_size=1000)
    BuyerProfile.objects.bulk_create([BuyerProfile(user=u, preferred_currency="EUR") for u in users])
    addresses = Address.objects.bulk_create([
        Address(buyer=u, full_name="Buyer", line1="Street 1", city="Berlin", postal_code="10115", country="DE")
        for u in users])
    customs_rules_load(path=RULES_FILE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    buyers = [Buyer(str(AccessToken.for_user(u)), a.pk) for u, a in zip(users, addresses, strict=True)]
    return CheckoutSeed(skus=[v.sku for v in variants], buyers=buyers)
