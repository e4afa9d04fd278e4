"""Landed cost: what a parcel costs at the buyer's door, following the customs spec's method (§5).

Pure arithmetic: everything it needs (rules in force, FX) comes in as plain values; it reads no
database. Steps: convert to the currency customs assesses in, pick the regime by its threshold basis,
take the customs value (CIF or FOB), compute duty per line (ad valorem, per unit, greater-of, or a flat
amount per distinct subheading), pick the lower of MFN and RCEP where the goods qualify, then the
VAT/GST base of the regime, then each destination's rounding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from accounts.addresses import EU_COUNTRIES
from shop.money import currency_exponent

# RCEP parties (RCEP Agreement, signatories; in force for CN and JP from 2022-01-01).
RCEP_PARTIES = frozenset("AU BN CN ID JP KH KR LA MM MY NZ PH SG TH VN".split())
ESTIMATE_CONFIDENCE = frozenset({"U", "X"})


class RuleGap(Exception):
    """A quote cannot be made: a rule, rate or datum is missing. `missing` says exactly what."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("; ".join(missing))


@dataclass(frozen=True)
class Regime:
    id: int
    code: str
    territory: str
    threshold_amount: Decimal | None
    threshold_currency: str
    threshold_basis: str
    value_basis: str
    duty_mode: str
    flat_duty_amount: Decimal | None
    flat_duty_currency: str
    vat_base: str
    collection: str
    excluded_hs_prefixes: tuple[str, ...]
    rounding: str
    currency: str
    source: str
    confidence: str


@dataclass(frozen=True)
class DutyRuleData:
    id: int
    territory: str
    hs_prefix: str
    origin: str
    scheme: str
    kind: str
    rate: Decimal
    specific_amount: Decimal | None
    specific_currency: str
    specific_unit: str
    additional: bool
    genders: tuple[str, ...]
    source: str
    confidence: str
    valid_from: dt.date


@dataclass(frozen=True)
class TaxRateData:
    id: int
    country: str
    name: str
    rate: Decimal
    source: str
    confidence: str


@dataclass(frozen=True)
class FxUsed:
    base: str
    quote: str
    rate: Decimal
    source: str
    estimate: bool


@dataclass(frozen=True)
class Rules:
    regimes: tuple[Regime, ...]
    duty_rules: tuple[DutyRuleData, ...]
    tax_rates: tuple[TaxRateData, ...]
    fx: Callable[[str, str], FxUsed]


@dataclass(frozen=True)
class QuoteLine:
    key: str
    hs_code: str
    origin: str
    quantity: int
    unit_price: Decimal
    gender: str = "unisex"
    unit: str = "pair"
    rcep_origin_country: str = ""
    rcep_criterion: str = ""


@dataclass(frozen=True)
class QuoteInput:
    destination: str
    on: dt.date
    currency: str
    lines: tuple[QuoteLine, ...]
    shipping: Decimal


@dataclass
class DutyLine:
    key: str
    hs_code: str
    scheme: str
    rule_id: int | None
    kind: str
    amount: Decimal
    mfn_amount: Decimal
    source: str
    confidence: str


@dataclass
class Breakdown:
    destination: str
    regime: str
    regime_source: str
    collection: str
    currency: str
    customs_currency: str
    goods: Decimal
    shipping: Decimal
    customs_value: Decimal
    duty_lines: list[DutyLine]
    duty: Decimal
    tax_name: str
    tax_rate: Decimal
    tax_base: Decimal
    tax: Decimal
    duty_in_currency: Decimal
    tax_in_currency: Decimal
    total: Decimal
    preference_applied: bool
    saving_vs_mfn: Decimal
    fx: list[FxUsed]
    warnings: list[str] = field(default_factory=list)
    origin_declarations: list[dict] = field(default_factory=list)

    @property
    def estimate(self) -> bool:
        return bool(self.warnings)

    def as_dict(self) -> dict:
        """JSON-ready snapshot for the order and the API."""

        def money(value: Decimal, currency: str) -> dict:
            return {"amount": str(value), "currency": currency}

        return {
            "destination": self.destination, "regime": self.regime, "regime_source": self.regime_source,
            "collection": self.collection, "estimate": self.estimate, "warnings": self.warnings,
            "goods": money(self.goods, self.currency), "shipping": money(self.shipping, self.currency),
            "customs_value": money(self.customs_value, self.customs_currency),
            "duty_lines": [{"sku": d.key, "hs_code": d.hs_code, "scheme": d.scheme, "rule_id": d.rule_id,
                            "kind": d.kind, "amount": money(d.amount, self.customs_currency),
                            "mfn_amount": money(d.mfn_amount, self.customs_currency), "source": d.source,
                            "confidence": d.confidence} for d in self.duty_lines],
            "duty": money(self.duty_in_currency, self.currency),
            "duty_assessed": money(self.duty, self.customs_currency),
            "tax": {"name": self.tax_name, "rate": str(self.tax_rate),
                    "base": money(self.tax_base, self.customs_currency),
                    "assessed": money(self.tax, self.customs_currency),
                    "amount": money(self.tax_in_currency, self.currency)},
            "total": money(self.total, self.currency),
            "preference_applied": self.preference_applied,
            "saving_vs_mfn": money(self.saving_vs_mfn, self.customs_currency),
            "fx": [{"base": f.base, "quote": f.quote, "rate": str(f.rate), "source": f.source,
                    "estimate": f.estimate} for f in self.fx],
            "origin_declarations": self.origin_declarations,
        }


def territory_of(country: str) -> str:
    return "EU" if country in EU_COUNTRIES else country


def _q(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-currency_exponent(currency)), rounding=ROUND_HALF_UP)


def _trunc(amount: Decimal, step: int) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_DOWN) * step


def _convert(amount: Decimal, fx: FxUsed) -> Decimal:
    return amount * fx.rate


def _rule_matches(rule: DutyRuleData, line: QuoteLine, territory: str) -> bool:
    return (rule.territory == territory and line.hs_code.startswith(rule.hs_prefix)
            and rule.origin in ("*", line.origin) and (not rule.genders or line.gender in rule.genders))


def _best(rules: list[DutyRuleData]) -> DutyRuleData | None:
    """The most specific rule: longest HS prefix, then an exact origin over *, then the newest."""
    if not rules:
        return None
    return max(rules, key=lambda r: (len(r.hs_prefix), r.origin != "*", r.valid_from))


def _duty_for(rule: DutyRuleData, value: Decimal, line: QuoteLine, customs_currency: str,
              fx: Callable[[str, str], FxUsed], used: list[FxUsed]) -> Decimal:
    ad_valorem = value * rule.rate
    if rule.kind == "ad_valorem":
        return ad_valorem
    per_unit = rule.specific_amount or Decimal(0)
    if rule.specific_currency and rule.specific_currency != customs_currency:
        rate = fx(rule.specific_currency, customs_currency)
        used.append(rate)
        per_unit = per_unit * rate.rate
    specific = per_unit * line.quantity
    if rule.kind == "specific":
        return specific
    return max(ad_valorem, specific)  # max_of


def quote(data: QuoteInput, rules: Rules) -> Breakdown:
    territory = territory_of(data.destination)
    warnings: list[str] = []
    missing: list[str] = []
    regimes = [r for r in rules.regimes if r.territory == territory]
    import_regime = next((r for r in regimes if r.threshold_amount is None), None)
    low_regimes = sorted((r for r in regimes if r.threshold_amount is not None), key=lambda r: r.threshold_amount)
    if import_regime is None:
        raise RuleGap([f"No import regime for {data.destination} is in force on {data.on}."])
    ccy = import_regime.currency
    used_fx: list[FxUsed] = []
    to_customs = rules.fx(data.currency, ccy)
    used_fx.append(to_customs)
    line_values = [_convert(line.unit_price * line.quantity, to_customs) for line in data.lines]
    goods_c = sum(line_values, Decimal(0))
    shipping_c = _convert(data.shipping, to_customs)

    regime = import_regime
    for low in low_regimes:
        basis_value = goods_c if low.threshold_basis == "intrinsic" else (
            goods_c + shipping_c if low.value_basis == "CIF" else goods_c)
        threshold = low.threshold_amount
        if low.threshold_currency and low.threshold_currency != ccy:
            rate = rules.fx(low.threshold_currency, ccy)
            used_fx.append(rate)
            threshold = threshold * rate.rate
        excluded = [line.key for line in data.lines if any(line.hs_code.startswith(p)
                                                           for p in low.excluded_hs_prefixes)]
        if basis_value <= threshold and not excluded:
            regime = low
            break
        if basis_value <= threshold and excluded:
            warnings_note = f"{', '.join(excluded)} excluded from {low.code}"
            warnings.append(f"Low-value relief does not cover these goods: {warnings_note}.")
    jp = regime.rounding == "jp_customs"

    cif = regime.value_basis == "CIF"
    customs_value = goods_c + (shipping_c if cif else Decimal(0))
    assessed_value = _trunc(customs_value, 1000) if jp else customs_value

    duty_lines: list[DutyLine] = []
    preference_applied = False
    if regime.duty_mode == "relief":
        duty = Decimal(0)
    elif regime.duty_mode == "flat_per_subheading":
        per = regime.flat_duty_amount or Decimal(0)
        if regime.flat_duty_currency and regime.flat_duty_currency != ccy:
            rate = rules.fx(regime.flat_duty_currency, ccy)
            used_fx.append(rate)
            per = per * rate.rate
        subheadings = sorted({line.hs_code[:6] for line in data.lines})
        for hs in subheadings:
            keys = ",".join(line.key for line in data.lines if line.hs_code[:6] == hs)
            duty_lines.append(DutyLine(keys, hs, "FLAT", None, "flat_per_subheading", per, per, regime.source,
                                       regime.confidence))
        duty = per * len(subheadings)
    else:
        duty = Decimal(0)
        for line, value in zip(data.lines, line_values, strict=True):
            share = assessed_value * value / goods_c if goods_c else Decimal(0)
            candidates = [r for r in rules.duty_rules if _rule_matches(r, line, territory) and not r.additional]
            mfn = _best([r for r in candidates if r.scheme == "MFN"])
            if mfn is None:
                missing.append(f"No duty rule for HS {line.hs_code} from {line.origin} into {territory} on {data.on}.")
                continue
            mfn_amount = _duty_for(mfn, share, line, ccy, rules.fx, used_fx)
            chosen, amount = mfn, mfn_amount
            rcep_ok = (line.origin in RCEP_PARTIES and data.destination in RCEP_PARTIES
                       and line.rcep_origin_country in RCEP_PARTIES and bool(line.rcep_criterion))
            rcep = _best([r for r in candidates if r.scheme == "RCEP"]) if rcep_ok else None
            if rcep is not None:
                rcep_amount = _duty_for(rcep, share, line, ccy, rules.fx, used_fx)
                if rcep_amount < mfn_amount:
                    chosen, amount = rcep, rcep_amount
                    preference_applied = True
            for extra in (r for r in rules.duty_rules if _rule_matches(r, line, territory) and r.additional):
                amount += _duty_for(extra, share, line, ccy, rules.fx, used_fx)
                mfn_amount += _duty_for(extra, share, line, ccy, rules.fx, used_fx)
                if extra.confidence in ESTIMATE_CONFIDENCE:
                    warnings.append(f"Additional duty {extra.hs_prefix} ({extra.source}) is unverified.")
            if chosen.confidence in ESTIMATE_CONFIDENCE:
                warnings.append(f"Duty rate for {line.hs_code} into {territory} is unverified ({chosen.source}).")
            duty_lines.append(DutyLine(line.key, line.hs_code, chosen.scheme, chosen.id, chosen.kind, amount,
                                       mfn_amount, chosen.source, chosen.confidence))
            duty += amount
    for duty_line in duty_lines:
        duty_line.amount = _q(duty_line.amount, ccy)
        duty_line.mfn_amount = _q(duty_line.mfn_amount, ccy)
    if jp:
        duty = _trunc(duty, 100)  # Japan truncates the consignment's duty, not each line
    else:
        duty = sum((d.amount for d in duty_lines), Decimal(0))

    tax_rate = next((t for t in rules.tax_rates if t.country == data.destination), None)
    if regime.vat_base == "none":
        tax_name, rate, tax_base, tax = "", Decimal(0), Decimal(0), Decimal(0)
    elif tax_rate is None:
        missing.append(f"No VAT/GST rate for {data.destination} on {data.on}.")
        tax_name, rate, tax_base, tax = "", Decimal(0), Decimal(0), Decimal(0)
    else:
        tax_name, rate = tax_rate.name, tax_rate.rate
        if tax_rate.confidence in ESTIMATE_CONFIDENCE:
            warnings.append(f"{tax_rate.name} rate for {data.destination} is unverified ({tax_rate.source}).")
        if regime.vat_base == "sale_price":
            tax_base = goods_c + shipping_c + duty
        else:
            tax_base = customs_value + duty
        if jp:
            tax_base = _trunc(tax_base, 1000)
            national = _trunc(tax_base * rate * Decimal("0.78"), 100)  # 7.8% of the 10%
            local = _trunc(national * 22 / 78, 100)  # local CT = national x 22/78
            tax = national + local
        else:
            tax_base = _q(tax_base, ccy)
            tax = _q(tax_base * rate, ccy)
    if missing:
        raise RuleGap(missing)

    for fx_used in used_fx:
        if fx_used.estimate:
            warnings.append(f"Converted {fx_used.base}->{fx_used.quote} at the storefront rate, not the customs "
                            "authority's; the assessment may differ slightly.")
            break
    if regime.confidence in ESTIMATE_CONFIDENCE:
        warnings.append(f"The {regime.code} regime for {data.destination} is not confirmed ({regime.source}).")

    back = rules.fx(ccy, data.currency)
    goods = _q(sum((line.unit_price * line.quantity for line in data.lines), Decimal(0)), data.currency)
    shipping = _q(data.shipping, data.currency)
    duty_back = _q(duty * back.rate, data.currency)
    tax_back = _q(tax * back.rate, data.currency)
    saving = sum((d.mfn_amount - d.amount for d in duty_lines), Decimal(0))
    declarations = []
    if preference_applied:
        for line, duty_line in zip(data.lines, duty_lines, strict=False):
            if duty_line.scheme == "RCEP":
                declarations.append({"sku": line.key, "hs_code": line.hs_code[:6], "criterion": line.rcep_criterion,
                                     "rcep_country_of_origin": line.rcep_origin_country,
                                     "quantity": line.quantity, "unit": line.unit})
    return Breakdown(
        destination=data.destination, regime=regime.code, regime_source=regime.source,
        collection=regime.collection, currency=data.currency, customs_currency=ccy, goods=goods, shipping=shipping,
        customs_value=_q(customs_value, ccy), duty_lines=duty_lines, duty=_q(duty, ccy), tax_name=tax_name,
        tax_rate=rate, tax_base=tax_base, tax=tax, duty_in_currency=duty_back, tax_in_currency=tax_back,
        total=goods + shipping + duty_back + tax_back, preference_applied=preference_applied,
        saving_vs_mfn=_q(saving, ccy), fx=list(dict.fromkeys(used_fx)) + [back], warnings=list(dict.fromkeys(warnings)),
        origin_declarations=declarations,
    )
