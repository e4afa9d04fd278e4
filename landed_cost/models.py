"""Customs and tax rules as effective-dated data rows, each with its source and confidence.

Loaded from data/customs/*.json by `manage.py load_customs_rules`; the rule in force is chosen by the
order's date. Confidence follows the customs spec: C confirmed, S secondary, I inferred, U unverified,
X sources conflict. A quote that uses a U or X row is labelled an estimate.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

CONFIDENCE_CHOICES = [("C", "Confirmed"), ("S", "Secondary source"), ("I", "Inferred"), ("U", "Unverified"),
                      ("X", "Sources conflict")]


class EffectiveDated(models.Model):
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Exclusive; empty = still in force.")
    source = models.CharField(max_length=500)
    confidence = models.CharField(max_length=1, choices=CONFIDENCE_CHOICES)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True


class ImportRegime(EffectiveDated):
    """How a destination treats a consignment: low-value regimes carry a threshold; the import regime
    of a territory (no threshold) applies above it."""

    class ValueBasis(models.TextChoices):
        CIF = "CIF", "CIF: goods + transport to the border"
        FOB = "FOB", "FOB: goods only"

    class ThresholdBasis(models.TextChoices):
        INTRINSIC = "intrinsic", "Intrinsic value (goods, no transport)"
        CUSTOMS_VALUE = "customs_value", "Customs value (per the value basis)"

    class VatBase(models.TextChoices):
        SALE_PRICE = "sale_price", "Price charged to the buyer (goods + shipping + duty)"
        CUSTOMS_VALUE_PLUS_DUTY = "cv_plus_duty", "Customs value + duty"
        NONE = "none", "No VAT/GST collected"

    class DutyMode(models.TextChoices):
        RULES = "rules", "Duty by tariff rules"
        RELIEF = "relief", "No duty (low-value relief)"
        FLAT_PER_SUBHEADING = "flat_per_subheading", "Flat amount per distinct subheading"

    territory = models.CharField(max_length=2, help_text="ISO country code, or EU for the Union.")
    code = models.CharField(max_length=30)
    threshold_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    threshold_currency = models.CharField(max_length=3, blank=True)
    threshold_basis = models.CharField(max_length=20, choices=ThresholdBasis.choices, blank=True)
    value_basis = models.CharField(max_length=3, choices=ValueBasis.choices)
    duty_mode = models.CharField(max_length=30, choices=DutyMode.choices)
    flat_duty_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    flat_duty_currency = models.CharField(max_length=3, blank=True)
    vat_base = models.CharField(max_length=20, choices=VatBase.choices)
    collection = models.CharField(max_length=3, choices=[("DDP", "DDP: collected at checkout"),
                                                         ("DAP", "DAP: buyer pays on delivery")], default="DDP")
    excluded_hs_prefixes = models.JSONField(default=list, blank=True,
                                            help_text="Goods never covered by this low-value regime.")
    rounding = models.CharField(max_length=20, default="half_up",
                                choices=[("half_up", "Half up to the minor unit"),
                                         ("jp_customs", "Japan: truncations of Customs Answer 1111")])
    currency = models.CharField(max_length=3, help_text="Currency customs assesses in.")

    class Meta:
        db_table = "orders_importregime"  # kept from before the app split: no data moved
        ordering = ["territory", "threshold_amount", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code", "valid_from"], name="regime_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                                   name="regime_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.code} from {self.valid_from}"


class DutyRule(EffectiveDated):
    class Scheme(models.TextChoices):
        MFN = "MFN", "Most favoured nation / general"
        RCEP = "RCEP", "RCEP preference"

    class Kind(models.TextChoices):
        AD_VALOREM = "ad_valorem", "Percent of customs value"
        SPECIFIC = "specific", "Amount per unit"
        MAX_OF = "max_of", "Greater of percent and amount per unit"

    territory = models.CharField(max_length=2)
    hs_prefix = models.CharField(max_length=10, help_text="The longest matching prefix of the HS code wins.")
    origin = models.CharField(max_length=2, default="*", help_text="ISO origin country, or * for any.")
    scheme = models.CharField(max_length=10, choices=Scheme.choices, default=Scheme.MFN)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rate = models.DecimalField(max_digits=7, decimal_places=5, default=0, help_text="Fraction: 0.08 = 8%.")
    specific_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    specific_currency = models.CharField(max_length=3, blank=True)
    specific_unit = models.CharField(max_length=10, blank=True, help_text="pair, item or kg")
    additional = models.BooleanField(default=False, help_text="Stacks on top of the chosen MFN/RCEP rule.")
    genders = models.JSONField(default=list, blank=True, help_text="Only for these product genders, if set.")

    class Meta:
        db_table = "orders_dutyrule"  # kept from before the app split: no data moved
        ordering = ["territory", "hs_prefix", "scheme", "valid_from"]

    def __str__(self) -> str:
        return f"{self.territory} {self.hs_prefix} {self.scheme} {self.kind}"


class TaxRate(EffectiveDated):
    country = models.CharField(max_length=2)
    name = models.CharField(max_length=20, default="VAT")
    rate = models.DecimalField(max_digits=6, decimal_places=4)

    class Meta:
        db_table = "orders_taxrate"  # kept from before the app split: no data moved
        ordering = ["country", "valid_from"]

    def __str__(self) -> str:
        return f"{self.country} {self.name} {self.rate}"


class CustomsFxRate(EffectiveDated):
    """The rate a customs authority converts with (ECB penultimate Wednesday for the EU, the weekly
    rate for Japan); where none is on file the storefront rate is used and the quote is an estimate."""

    authority = models.CharField(max_length=10)
    base = models.CharField(max_length=3)
    quote = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=20, decimal_places=10)

    class Meta:
        db_table = "orders_customsfxrate"  # kept from before the app split: no data moved
        ordering = ["authority", "base", "quote", "valid_from"]

    def __str__(self) -> str:
        return f"{self.authority} {self.base}/{self.quote} {self.rate}"


class ShippingRate(EffectiveDated):
    """Express parcel price per destination territory, charged per parcel."""

    territory = models.CharField(max_length=2)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    per_extra_kg = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    included_kg = models.DecimalField(max_digits=6, decimal_places=3, default=1)

    class Meta:
        db_table = "orders_shippingrate"  # kept from before the app split: no data moved
        ordering = ["territory", "valid_from"]

    def __str__(self) -> str:
        return f"{self.territory} {self.amount} {self.currency}"


# The rules file's sections (data/customs/*.json) and the table each one fills.
RULE_FILE_MODELS = {"regimes": ImportRegime, "duty_rules": DutyRule, "tax_rates": TaxRate,
                    "customs_fx_rates": CustomsFxRate, "shipping_rates": ShippingRate}
