"""Customs rules as data: loading the dated rule file, choosing the rules in force, shipping and
landed-cost quotes for carts and ad-hoc lists of variants."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.addresses import ADDRESS_RULES
from config.errors import InvalidInput
from landed_cost import calculator as lc
from landed_cost.errors import QuoteNotPossible
from landed_cost.models import CustomsFxRate, DutyRule, ImportRegime, ShippingRate, TaxRate
from shop import selectors as shop_selectors
from shop.errors import FxRateUnavailable
from shop.money import quantize

_MODELS = {"regimes": ImportRegime, "duty_rules": DutyRule, "tax_rates": TaxRate,
           "customs_fx_rates": CustomsFxRate, "shipping_rates": ShippingRate}


@transaction.atomic
def customs_rules_load(*, path: Path) -> dict[str, int]:
    """Replace the rule tables with the file's rows (all or nothing). Rows are dated, so replacing
    keeps history as long as the file does: the file is the reviewed source of truth."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"Cannot read the rules file: {exc}") from exc
    counts = {}
    errors: dict[str, list[str]] = {}
    for key, model in _MODELS.items():
        model.objects.all().delete()
        rows = []
        for index, row in enumerate(document.get(key, [])):
            try:
                obj = model(**row)
                obj.full_clean()
                rows.append(obj)
            except Exception as exc:  # noqa: BLE001 - every bad row is reported, none is loaded
                errors[f"{key}[{index}]"] = [str(exc)[:300]]
        model.objects.bulk_create(rows)
        counts[key] = len(rows)
    if errors:
        raise InvalidInput("The rules file has invalid rows; nothing was loaded.", fields=errors)
    return counts


def _in_force(model, on: dt.date):
    return model.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def rules_in_force(*, on: dt.date, territory: str, country: str) -> lc.Rules:
    """Every row a quote for `country` needs on `on`, as plain values for the pure calculation."""
    regimes = tuple(
        lc.Regime(r.pk, r.code, r.territory, r.threshold_amount, r.threshold_currency, r.threshold_basis,
                  r.value_basis, r.duty_mode, r.flat_duty_amount, r.flat_duty_currency, r.vat_base, r.collection,
                  tuple(r.excluded_hs_prefixes or ()), r.rounding, r.currency, r.source, r.confidence)
        for r in _in_force(ImportRegime, on).filter(territory=territory))
    duty_rules = tuple(
        lc.DutyRuleData(r.pk, r.territory, r.hs_prefix, r.origin, r.scheme, r.kind, r.rate, r.specific_amount,
                        r.specific_currency, r.specific_unit, r.additional, tuple(r.genders or ()), r.source,
                        r.confidence, r.valid_from)
        for r in _in_force(DutyRule, on).filter(territory=territory))
    tax_rates = tuple(
        lc.TaxRateData(r.pk, r.country, r.name, r.rate, r.source, r.confidence)
        for r in _in_force(TaxRate, on).filter(country=country).order_by("-valid_from")[:1])
    customs_fx = {(r.base, r.quote): r for r in _in_force(CustomsFxRate, on)}
    storefront = shop_selectors.fx_table_get(on=on)

    def fx(base: str, quote: str) -> lc.FxUsed:
        if base == quote:
            return lc.FxUsed(base, quote, Decimal(1), "identity", False)
        row = customs_fx.get((base, quote))
        if row is not None:
            return lc.FxUsed(base, quote, row.rate, f"{row.authority}: {row.source}", row.confidence in "UX")
        inverse = customs_fx.get((quote, base))
        if inverse is not None:
            return lc.FxUsed(base, quote, Decimal(1) / inverse.rate, f"{inverse.authority}: {inverse.source}",
                             inverse.confidence in "UX")
        try:
            found = storefront.quote(base, quote)
        except FxRateUnavailable as exc:
            raise lc.RuleGap([f"No exchange rate {base}->{quote} on file for {on}."]) from exc
        return lc.FxUsed(base, quote, found.rate, found.source, True)

    return lc.Rules(regimes, duty_rules, tax_rates, fx)


@dataclass(frozen=True)
class Parcel:
    gross_weight_kg: Decimal


def shipping_for(*, parcels: list[Parcel], territory: str, currency: str, on: dt.date,
                 rules: lc.Rules) -> Decimal:
    rate = _in_force(ShippingRate, on).filter(territory=territory).order_by("-valid_from").first()
    if rate is None:
        raise lc.RuleGap([f"No shipping rate to {territory} on {on}."])
    total = Decimal(0)
    for parcel in parcels:
        extra_kg = max(Decimal(0), parcel.gross_weight_kg - rate.included_kg)
        total += rate.amount + rate.per_extra_kg * math.ceil(extra_kg)
    fx = rules.fx(rate.currency, currency)

    return quantize(total * fx.rate, currency)


def quote_lines(*, destination: str, currency: str, lines: list[lc.QuoteLine], parcels: list[Parcel],
                on: dt.date | None = None) -> lc.Breakdown:
    """A landed-cost quote, or QuoteNotPossible (400) saying exactly what is missing."""
    on = on or timezone.now().date()
    destination = destination.upper()
    if destination not in ADDRESS_RULES:
        raise QuoteNotPossible(f"We do not ship to {destination!r}.", fields={"destination": ["Unknown."]})
    missing = [f"{line.key} has no HS code." for line in lines if len(line.hs_code) != 6]
    missing += [f"{line.key} has no country of origin." for line in lines if len(line.origin) != 2]
    if missing:
        raise QuoteNotPossible("Product data customs needs is missing.", fields={"missing": missing})
    territory = lc.territory_of(destination)
    try:
        rules = rules_in_force(on=on, territory=territory, country=destination)
        shipping = shipping_for(parcels=parcels, territory=territory, currency=currency, on=on, rules=rules)
        return lc.quote(lc.QuoteInput(destination, on, currency, tuple(lines), shipping), rules)
    except lc.RuleGap as gap:
        raise QuoteNotPossible("A rule or rate this quote needs is missing.", fields={"missing": gap.missing}) \
            from gap
    except InvalidOperation as exc:
        raise QuoteNotPossible(f"Arithmetic error: {exc}") from exc


def quote_line_for(variant, quantity: int, unit_price: Decimal) -> lc.QuoteLine:
    product = variant.product
    return lc.QuoteLine(
        key=variant.sku, hs_code=product.hs_code, origin=product.country_of_origin, quantity=quantity,
        unit_price=unit_price, gender=product.gender, unit="pair" if product.legal_unit1 == "025" else "item",
        rcep_origin_country=product.rcep_origin_country, rcep_criterion=product.rcep_origin_criterion)


def parcels_by_manufacturer(items) -> list[Parcel]:
    """Parcels a cart will likely make: one per manufacturer (its default warehouse)."""
    weights: dict[int, Decimal] = {}
    for variant, quantity in items:
        maker = variant.product.manufacturer_id
        weights[maker] = weights.get(maker, Decimal(0)) + variant.gross_weight_kg * quantity
    return [Parcel(weight) for weight in weights.values()]


def variants_priced(*, lines: list[tuple[str, int]], currency: str) -> list[tuple[object, int, Decimal]]:
    """(variant, quantity, unit price in `currency`) for SKUs; unknown or unpriced SKUs are a 400."""
    ids = {sku: shop_selectors.variant_id_by_sku(sku=sku) for sku, _ in lines}
    variants = shop_selectors.variants_for_sale(variant_ids=list(ids.values()))
    fx = shop_selectors.fx_table_get()
    priced = []
    for sku, quantity in lines:
        variant = variants[ids[sku]]
        found = shop_selectors.variant_price(variant=variant, currency=currency, fx=fx)
        if found is None or not shop_selectors.variant_is_sellable(variant):
            raise InvalidInput(f"{sku} is not for sale.", fields={"variant": [f"{sku}: not for sale."]})
        priced.append((variant, quantity, found[0]))
    return priced


def variants_quote(*, destination: str, currency: str, skus: list[tuple[str, int]]) -> lc.Breakdown:
    """A quote for listed SKUs at their storefront prices (anyone may ask, signed in or not)."""
    items = variants_priced(lines=skus, currency=currency)
    return quote_lines(
        destination=destination, currency=currency,
        lines=[quote_line_for(variant, quantity, price) for variant, quantity, price in items],
        parcels=parcels_by_manufacturer([(variant, quantity) for variant, quantity, _ in items]))
