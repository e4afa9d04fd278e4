"""Customs rules as data: choosing the rules in force, shipping and landed-cost quotes for carts and
ad-hoc lists of variants."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from accounts.addresses import ADDRESS_RULES
from config.errors import InvalidInput
from landed_cost import calculator as lc
from landed_cost.errors import QuoteNotPossible
from landed_cost.models import RULE_FILE_MODELS, CustomsFxRate, ShippingRate
from shop import selectors as shop_selectors
from shop.errors import FxRateUnavailable
from shop.money import quantize
from shop.selectors import FxQuote, FxTable
from shop.table_versions import VersionedCopies


def _in_force(rows, on: dt.date) -> list:
    return [r for r in rows if r.valid_from <= on and (r.valid_to is None or r.valid_to > on)]


@dataclass(frozen=True)
class RulesInForce:
    """The rule rows in force on a day for one destination, as the calculator's values (FX aside)."""

    regimes: tuple[lc.Regime, ...]
    duty_rules: tuple[lc.DutyRuleData, ...]
    tax_rates: tuple[lc.TaxRateData, ...]
    customs_fx: dict[tuple[str, str], CustomsFxRate]
    shipping_rate: ShippingRate | None = None


def _rules_in_force_data(*, regimes, duty_rules, tax_rates, customs_fx_rates, on: dt.date, territory: str,
                         country: str, shipping_rates=()) -> RulesInForce:
    regimes = tuple(
        lc.Regime(r.pk, r.code, r.territory, r.threshold_amount, r.threshold_currency, r.threshold_basis,
                  r.value_basis, r.duty_mode, r.flat_duty_amount, r.flat_duty_currency, r.vat_base, r.collection,
                  tuple(r.excluded_hs_prefixes or ()), r.rounding, r.currency, r.source, r.confidence)
        for r in _in_force(regimes, on) if r.territory == territory)
    duty_rules = tuple(
        lc.DutyRuleData(r.pk, r.territory, r.hs_prefix, r.origin, r.scheme, r.kind, r.rate, r.specific_amount,
                        r.specific_currency, r.specific_unit, r.additional, tuple(r.genders or ()), r.source,
                        r.confidence, r.valid_from)
        for r in _in_force(duty_rules, on) if r.territory == territory)
    latest_tax = sorted((r for r in _in_force(tax_rates, on) if r.country == country),
                        key=lambda r: r.valid_from, reverse=True)[:1]
    tax_rates = tuple(lc.TaxRateData(r.pk, r.country, r.name, r.rate, r.source, r.confidence) for r in latest_tax)
    customs_fx = {(r.base, r.quote): r for r in _in_force(customs_fx_rates, on)}
    shipping = sorted((r for r in _in_force(shipping_rates, on) if r.territory == territory),
                      key=lambda r: r.valid_from)
    return RulesInForce(regimes, duty_rules, tax_rates, customs_fx, shipping[-1] if shipping else None)


def _rules(data: RulesInForce, *, on: dt.date, storefront_fx: Callable[[str, str], FxQuote] | None) -> lc.Rules:
    customs_fx = data.customs_fx

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
            if storefront_fx is None:
                raise FxRateUnavailable()
            found = storefront_fx(base, quote)
        except FxRateUnavailable as exc:
            raise lc.RuleGap([f"No exchange rate {base}->{quote} on file for {on}."]) from exc
        return lc.FxUsed(base, quote, found.rate, found.source, True)

    return lc.Rules(data.regimes, data.duty_rules, data.tax_rates, fx)


def rules_build(*, regimes, duty_rules, tax_rates, customs_fx_rates, on: dt.date, territory: str, country: str,
                storefront_fx: Callable[[str, str], FxQuote] | None = None) -> lc.Rules:
    """Pure: the rule rows (saved or not) in force on `on` for one destination, as the calculator's values.
    FX comes from customs' own rates first (either direction), then the storefront's table if given."""
    data = _rules_in_force_data(regimes=regimes, duty_rules=duty_rules, tax_rates=tax_rates,
                                customs_fx_rates=customs_fx_rates, on=on, territory=territory, country=country)
    return _rules(data, on=on, storefront_fx=storefront_fx)


# The rule tables change a few times a year: each process keeps them, and what it derived per day and
# destination, until a write to any of them moves their table version.
_rule_copies = VersionedCopies("customs_rules")
_ALL_ROWS = "rows"


def rules_in_force_data(*, on: dt.date, territory: str, country: str) -> RulesInForce:
    """Every row a quote for `country` needs on `on`, from this process's copy of the rule tables."""
    copies = _rule_copies.current()
    key = (on, territory, country)
    found = copies.get(key)
    if found is None:
        rows = copies.get(_ALL_ROWS)
        if rows is None:
            rows = copies[_ALL_ROWS] = {name: list(model.objects.all()) for name, model in RULE_FILE_MODELS.items()}
        found = copies[key] = _rules_in_force_data(
            regimes=rows["regimes"], duty_rules=rows["duty_rules"], tax_rates=rows["tax_rates"],
            customs_fx_rates=rows["customs_fx_rates"], shipping_rates=rows["shipping_rates"], on=on,
            territory=territory, country=country)
    return found


def rules_in_force(*, on: dt.date, territory: str, country: str, fx: FxTable | None = None) -> lc.Rules:
    """The rules for a quote to `country` on `on`; FX customs has no rate for comes from the storefront's
    table (`fx`, or the one in force on `on`)."""
    fx = fx or shop_selectors.fx_table_get(on=on)
    return _rules(rules_in_force_data(on=on, territory=territory, country=country), on=on, storefront_fx=fx.quote)


def _row(model, values: dict):
    row = model(**values)
    row.clean_fields()  # the file's strings become dates and decimals, as the database would give them
    return row


def rules_from_document(document: dict, *, on: dt.date, territory: str, country: str) -> lc.Rules:
    """The same rules straight from a rules file's rows, without a database (tests and reviews of a file)."""
    rows = {key: [_row(model, values) for values in document.get(key, [])] for key, model in RULE_FILE_MODELS.items()}
    return rules_build(regimes=rows["regimes"], duty_rules=rows["duty_rules"], tax_rates=rows["tax_rates"],
                       customs_fx_rates=rows["customs_fx_rates"], on=on, territory=territory, country=country)


@dataclass(frozen=True)
class Parcel:
    gross_weight_kg: Decimal


def shipping_for(*, parcels: list[Parcel], rate: ShippingRate | None, territory: str, currency: str, on: dt.date,
                 rules: lc.Rules) -> Decimal:
    if rate is None:
        raise lc.RuleGap([f"No shipping rate to {territory} on {on}."])
    total = Decimal(0)
    for parcel in parcels:
        extra_kg = max(Decimal(0), parcel.gross_weight_kg - rate.included_kg)
        total += rate.amount + rate.per_extra_kg * math.ceil(extra_kg)
    fx = rules.fx(rate.currency, currency)

    return quantize(total * fx.rate, currency)


def quote_lines(*, destination: str, currency: str, lines: list[lc.QuoteLine], parcels: list[Parcel],
                on: dt.date | None = None, fx: FxTable | None = None) -> lc.Breakdown:
    """A landed-cost quote, or QuoteNotPossible (400) saying exactly what is missing. `fx`: the storefront
    rates the caller already priced with (read again otherwise)."""
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
        data = rules_in_force_data(on=on, territory=territory, country=destination)
        rules = _rules(data, on=on, storefront_fx=(fx or shop_selectors.fx_table_get(on=on)).quote)
        shipping = shipping_for(parcels=parcels, rate=data.shipping_rate, territory=territory, currency=currency,
                                on=on, rules=rules)
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
