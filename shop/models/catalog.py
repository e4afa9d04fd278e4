"""Catalog, manufacturers and stock.

Customs needs from every product what China's export declaration and the destination's import data
set ask for (see docs/catalog.md): HS code (6 digits), China's 10-digit commodity code, declaration
elements, legal units, weights, materials and whether the shoe covers the ankle.

One family of tables that change together: a product, its variants, their prices and stock, and the listing
read model built from them. Their texts in the buyers' languages are in `translations.py`.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from ..money import CURRENCY_EXPONENTS
from ..validators import (
    validate_cn_commodity_code,
    validate_country_code,
    validate_currency_code,
    validate_customs_code,
    validate_gtin,
    validate_hs_code,
)


class Manufacturer(models.Model):
    name = models.CharField("legal name", max_length=200)
    name_zh = models.CharField("Chinese name", max_length=200, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    country = models.CharField(max_length=2, default="CN", validators=[validate_country_code])
    customs_code = models.CharField(
        "customs registration code", max_length=18, unique=True, validators=[validate_customs_code],
        help_text="18-character unified social credit code used on China export declarations.",
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    pricing_currency = models.CharField(
        max_length=3, default="USD", validators=[validate_currency_code],
        help_text="Currency the manufacturer sets its list prices in; other currencies are converted.",
    )
    default_warehouse = models.ForeignKey(
        "Warehouse", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payout_account_ref = models.CharField(
        max_length=64, blank=True, help_text="Payment provider's connected-account id for payouts."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(customs_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                                   name="manufacturer_customs_code_format"),
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="manufacturer_country_iso"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    OWNER = "owner", "Owner"
    CATALOG = "catalog", "Catalog manager"
    FULFILMENT = "fulfilment", "Warehouse and fulfilment"


class ManufacturerMembership(models.Model):
    """A staff user belongs to exactly one manufacturer and sees only its rows in the admin."""

    Role = MembershipRole

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="manufacturer_membership"
    )
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CATALOG)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.manufacturer}"


class Category(models.Model):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=80, unique=True)
    # Materialised path of slugs ("footwear/boots"), kept by category_save(); lets a filter on a
    # category include its whole subtree with one indexed prefix match.
    path = models.CharField(max_length=400, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.path or self.name


class Brand(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="brands")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Warehouse(models.Model):
    class Kind(models.TextChoices):
        FACTORY = "factory", "Factory warehouse (China)"
        OVERSEAS = "overseas", "Overseas warehouse"

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="warehouses")
    # Unique per manufacturer only: a global uniqueness error would tell one manufacturer's staff which codes
    # another manufacturer uses, and warehouse codes are not public.
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FACTORY)
    country = models.CharField(max_length=2, validators=[validate_country_code])
    city = models.CharField(max_length=100, blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["factory", "overseas"]), name="warehouse_kind_valid"),
            models.UniqueConstraint(fields=["manufacturer", "code"], name="warehouse_code_unique_per_manufacturer"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Material(models.TextChoices):
    # Chapter 64 distinguishes uppers and outer soles by these materials (HS 2022 headings 6401-6405).
    LEATHER = "leather", "Leather"
    COMPOSITION_LEATHER = "composition_leather", "Composition leather"
    RUBBER_PLASTICS = "rubber_plastics", "Rubber or plastics"
    TEXTILE = "textile", "Textile"
    SYNTHETIC = "synthetic", "Synthetic (other)"
    OTHER = "other", "Other"


class Product(models.Model):
    """A style. What a buyer buys is one of its variants (a SKU)."""

    class Gender(models.TextChoices):
        MEN = "men", "Men"
        WOMEN = "women", "Women"
        UNISEX = "unisex", "Unisex"
        BOYS = "boys", "Boys"
        GIRLS = "girls", "Girls"

    class LegalUnit(models.TextChoices):
        # China customs unit codes (JGS-20 table): 025 pair, 011 article, 007 piece, 035 kilogram.
        PAIR = "025", "pair (025)"
        ARTICLE = "011", "article (011)"
        PIECE = "007", "piece (007)"
        KILOGRAM = "035", "kilogram (035)"

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="products")
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    name_zh = models.CharField("Chinese goods name", max_length=250, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    upper_material = models.CharField(max_length=30, choices=Material.choices)
    lining_material = models.CharField(max_length=30, choices=Material.choices, blank=True)
    outer_sole_material = models.CharField(max_length=30, choices=Material.choices, blank=True)
    covers_ankle = models.BooleanField(default=False)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNISEX)
    country_of_origin = models.CharField(max_length=2, default="CN", validators=[validate_country_code])
    hs_code = models.CharField("HS code", max_length=6, validators=[validate_hs_code])
    cn_commodity_code = models.CharField(
        "China commodity code", max_length=10, validators=[validate_cn_commodity_code],
        help_text="10-digit code declared as gcode on China export messages; starts with the HS code.",
    )
    declaration_elements = models.TextField(
        blank=True, help_text="申报要素, pipe-separated in the order of the current list for the 10-digit line."
    )
    legal_unit1 = models.CharField(max_length=3, choices=LegalUnit.choices, default=LegalUnit.PAIR)
    legal_unit2 = models.CharField(max_length=3, choices=LegalUnit.choices, blank=True,
                                   default=LegalUnit.KILOGRAM)
    # RCEP origin (Agreement ch. 3): WO wholly obtained, PE produced exclusively from originating
    # materials, CTC change in tariff classification, RVC regional value content.
    rcep_origin_criterion = models.CharField(
        "RCEP origin criterion", max_length=3, blank=True,
        choices=[("WO", "WO: wholly obtained"), ("PE", "PE: from originating materials only"),
                 ("CTC", "CTC: change in tariff classification"), ("RVC", "RVC: regional value content")])
    rcep_origin_country = models.CharField("RCEP country of origin", max_length=2, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["is_active", "-created_at"], name="product_active_created"),
            models.Index(fields=["category", "is_active"], name="product_category_active"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hs_code__regex=r"^\d{6}$"), name="product_hs_code_6_digits"),
            models.CheckConstraint(condition=Q(cn_commodity_code__regex=r"^\d{10}$"),
                                   name="product_cn_code_10_digits"),
            models.CheckConstraint(condition=Q(cn_commodity_code__startswith=F("hs_code")),
                                   name="product_cn_code_extends_hs"),
            models.CheckConstraint(condition=Q(country_of_origin__regex=r"^[A-Z]{2}$"),
                                   name="product_origin_iso"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.brand_id and self.manufacturer_id and self.brand.manufacturer_id != self.manufacturer_id:
            errors["brand"] = "This brand belongs to another manufacturer."
        if self.hs_code and self.cn_commodity_code and not self.cn_commodity_code.startswith(self.hs_code):
            errors["cn_commodity_code"] = "China's commodity code must start with the product's HS code."
        if errors:
            raise ValidationError(errors)


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    url = models.URLField(max_length=500)
    alt_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.url


class SizeSystem(models.TextChoices):
    EU = "EU", "EU (Paris point)"
    UK = "UK", "UK"
    US_MEN = "US_M", "US men"
    US_WOMEN = "US_W", "US women"
    JP = "JP", "JP (cm)"
    CN = "CN", "CN / Mondopoint (mm)"
    APPAREL = "APPAREL", "Apparel (S/M/L)"


class WidthClass(models.TextChoices):
    # JIS S 5037 girth classes.
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    EE = "2E", "2E"
    EEE = "3E", "3E"
    EEEE = "4E", "4E"
    F = "F", "F"
    G = "G", "G"


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField("SKU", max_length=64, unique=True)
    size_system = models.CharField(max_length=10, choices=SizeSystem.choices, default=SizeSystem.EU)
    size_label = models.CharField(max_length=20)
    foot_length_mm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Foot length in mm this size fits (nominal, not the last)."
    )
    width_class = models.CharField(max_length=2, choices=WidthClass.choices, blank=True)
    colour = models.CharField(max_length=60, blank=True)
    gtin = models.CharField("GTIN", max_length=14, blank=True, validators=[validate_gtin])
    net_weight_kg = models.DecimalField(max_digits=8, decimal_places=3)
    gross_weight_kg = models.DecimalField(max_digits=8, decimal_places=3)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["product_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["gtin"], condition=~Q(gtin=""), name="variant_gtin_unique"),
            models.CheckConstraint(condition=Q(net_weight_kg__gt=0), name="variant_net_weight_positive"),
            models.CheckConstraint(condition=Q(gross_weight_kg__gte=F("net_weight_kg")),
                                   name="variant_gross_at_least_net"),
            models.CheckConstraint(
                condition=Q(foot_length_mm__isnull=True) | Q(foot_length_mm__gte=80, foot_length_mm__lte=400),
                name="variant_foot_length_human",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "is_active"], name="variant_product_active"),
            models.Index(Upper("size_label"), "product", name="variant_size_upper"),
        ]

    def __str__(self) -> str:
        return self.sku

    def clean(self) -> None:
        if self.net_weight_kg is not None and self.gross_weight_kg is not None \
                and self.gross_weight_kg < self.net_weight_kg:
            raise ValidationError({"gross_weight_kg": "Gross weight cannot be below net weight."})


# Audit trail (see docs/operations.md): a database trigger records who changed what, before and after.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 fields=["variant", "currency", "amount"], model_name="PriceEvent")
class Price(models.Model):
    """A manufacturer-set price. The price in the manufacturer's pricing currency is the list price;
    a row in another currency overrides conversion for that market."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    amount = models.DecimalField(max_digits=14, decimal_places=3)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["variant_id", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "currency"], name="price_one_per_currency"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="price_amount_positive"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="price_currency_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def clean(self) -> None:
        exponent = CURRENCY_EXPONENTS.get(self.currency)
        if self.amount is not None and exponent is not None and self.amount != self.amount.quantize(
            Decimal(1).scaleb(-exponent)
        ):
            raise ValidationError({"amount": f"{self.currency} amounts have {exponent} decimal places at most."})
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "A price must be above zero."})


class FxRate(models.Model):
    """1 unit of `base` buys `rate` units of `quote`, as published by `source` on `as_of`."""

    base = models.CharField(max_length=3, validators=[validate_currency_code])
    quote = models.CharField(max_length=3, validators=[validate_currency_code])
    rate = models.DecimalField(max_digits=20, decimal_places=10)
    as_of = models.DateField()
    source = models.CharField(max_length=200)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-as_of", "base", "quote"]
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "as_of"], name="fxrate_one_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="fxrate_positive"),
            models.CheckConstraint(condition=~Q(base=F("quote")), name="fxrate_distinct_currencies"),
        ]

    def __str__(self) -> str:
        return f"{self.base}/{self.quote} {self.rate} ({self.as_of})"


# Counted stock only: reservations move with every order and are audited through the orders themselves.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), fields=["variant", "warehouse", "on_hand"],
                 model_name="StockLevelEvent")
class StockLevel(models.Model):
    """Units of a variant in one warehouse. Changed only by conditional updates in shop.services."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["variant_id", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"], name="stock_one_row_per_warehouse"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_within_on_hand"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.warehouse}: {self.on_hand} ({self.reserved} reserved)"

    def clean(self) -> None:
        errors = {}
        if self.variant_id and self.warehouse_id and \
                self.warehouse.manufacturer_id != self.variant.product.manufacturer_id:
            errors["warehouse"] = "This warehouse belongs to another manufacturer."
        if self.on_hand is not None and self.on_hand < (self.reserved or 0):
            errors["on_hand"] = f"{self.reserved} units are reserved for orders and deals; on hand cannot be lower."
        if errors:
            raise ValidationError(errors)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class ProductListing(models.Model):
    """Read model for browsing: a product's lowest active-variant price in each storefront currency.

    Rebuilt by shop.services.product_listing_refresh whenever prices, variants or FX rates change, and
    nightly by Celery beat (an FX rate published for a future day comes into force without a write).
    Orders never read it: checkout prices each variant from Price and FxRate directly.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listings")
    currency = models.CharField(max_length=3)
    from_price = models.DecimalField(max_digits=20, decimal_places=3)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "currency"], name="listing_one_per_currency"),
        ]
        indexes = [models.Index(fields=["currency", "from_price"], name="listing_currency_price")]

    def __str__(self) -> str:
        return f"{self.product_id} from {self.from_price} {self.currency}"


class TableVersion(models.Model):
    """A number that moves whenever a row of a set of rarely changing tables (the FX rates, the customs rules)
    is written, whoever writes it: services, the admin, a shell. A trigger on each table sets it from a
    sequence inside the writing transaction, so a number is never handed out twice, even when a transaction
    rolls back. Processes keep copies of those tables and read them again when the number moved
    (`shop/table_versions.py`)."""

    name = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
