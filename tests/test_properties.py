"""Properties of the core arithmetic: money rounding and the landed-cost calculation. Pure: many examples,
no database, Redis or Stripe (the stock properties against PostgreSQL are tests/shop/test_stock_properties.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from landed_cost import calculator as lc
from livestream.services import deal_cap_spread
from shop.models import FxRate
from shop.money import CURRENCY_EXPONENTS, RATE_PLACES, UnknownCurrency, convert, currency_exponent, quantize
from shop.selectors import FxTable

CURRENCIES = sorted(CURRENCY_EXPONENTS)
PURE = settings(max_examples=150, deadline=None, derandomize=True, database=None)
QUOTES = settings(PURE, max_examples=50)  # each quote draws a whole rule set


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_exponent(currency))


def decimals_of(amount: Decimal) -> int:
    return max(0, -amount.as_tuple().exponent)


# Amounts with 0 to 8 decimal places, exact halves included, far beyond any price.
amounts = st.builds(lambda units, places: Decimal(units).scaleb(-places),
                    st.integers(min_value=-10**20, max_value=10**20), st.integers(min_value=0, max_value=8))
currencies = st.sampled_from(CURRENCIES)


# --- Money -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("currency", "exponent"), [("JPY", 0), ("KRW", 0), ("VND", 0), ("USD", 2), ("EUR", 2),
                                                    ("CNY", 2), ("KWD", 3), ("BHD", 3), ("TND", 3)])
def test_currency_exponents_follow_iso_4217(currency, exponent):
    assert currency_exponent(currency) == exponent
    assert quantize(Decimal("1234.5678"), currency).as_tuple().exponent == -exponent


@PURE
@given(code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3))
def test_a_currency_without_a_known_exponent_is_refused_not_guessed(code):
    assume(code not in CURRENCY_EXPONENTS)
    with pytest.raises(UnknownCurrency):
        quantize(Decimal("1.005"), code)


@PURE
@given(amount=amounts, currency=currencies)
def test_rounding_gives_the_currencys_decimals_and_is_idempotent(amount, currency):
    rounded = quantize(amount, currency)
    assert rounded.as_tuple().exponent == -currency_exponent(currency)  # never more (nor fewer) decimals
    assert quantize(rounded, currency) == rounded
    assert quantize(rounded, currency).as_tuple() == rounded.as_tuple()


@PURE
@given(amount=amounts, currency=currencies)
def test_rounding_is_half_away_from_zero_within_half_a_minor_unit(amount, currency):
    rounded = quantize(amount, currency)
    half = minor_unit(currency) / 2
    assert abs(rounded - amount) <= half
    if abs(rounded - amount) == half:  # a tie goes away from zero: 0.125 -> 0.13, -0.125 -> -0.13
        assert abs(rounded) > abs(amount)
    assert quantize(-amount, currency) == -rounded


@PURE
@given(a=amounts, b=amounts, currency=currencies)
def test_rounding_never_reorders_amounts(a, b, currency):
    low, high = sorted((a, b))
    assert quantize(low, currency) <= quantize(high, currency)


@PURE
@given(amount=amounts, rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("50000"), places=10),
       currency=currencies)
def test_conversion_is_the_exact_product_rounded_once(amount, rate, currency):
    converted = convert(amount, rate, currency)
    assert converted == quantize(amount * rate, currency)
    assert abs(converted - amount * rate) <= minor_unit(currency) / 2


fx_rates = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("40000"), places=6)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=3)


@PURE
@given(rate=fx_rates, currency=currencies, price=prices)
def test_an_inverse_rate_is_carried_to_ten_places_and_a_round_trip_loses_at_most_half_a_unit_a_leg(
        rate, currency, price):
    assume(currency != "USD")
    table = FxTable([FxRate(base="USD", quote=currency, rate=rate, as_of=dt.date(2026, 11, 20), source="test")])
    there, back = table.quote("USD", currency), table.quote(currency, "USD")
    assert there.rate == rate.quantize(RATE_PLACES)
    assert back.rate == (Decimal(1) / rate).quantize(RATE_PLACES)
    assert decimals_of(back.rate) <= 10

    amount = quantize(price, "USD")
    converted = convert(amount, there.rate, currency)
    returned = convert(converted, back.rate, "USD")
    # Half a minor unit lost on each leg (the other currency's, worth 1/rate dollars), plus what the
    # inverse rate's tenth decimal can move.
    bound = minor_unit("USD") / 2 + minor_unit(currency) / 2 * back.rate + converted * RATE_PLACES / 2
    assert abs(returned - amount) <= bound


# --- Landed cost (landed_cost/calculator.py: pure, no database) -------------------------------------------
# Rule sets of every shape the rule data has (docs/customs.md): low-value regimes with an intrinsic or
# customs-value threshold, relief, flat per subheading or tariff rules, CIF or FOB, each VAT base,
# Japan's truncations, MFN, RCEP and additional duties, ad valorem, per unit and greater-of.

ON = dt.date(2026, 11, 22)
USD_PER = {"USD": Decimal(1), "EUR": Decimal("0.86"), "GBP": Decimal("0.75"), "JPY": Decimal("150"),
           "KRW": Decimal("1380"), "AUD": Decimal("1.55"), "KWD": Decimal("0.307")}


def fixed_fx(base: str, quote: str) -> lc.FxUsed:
    return lc.FxUsed(base, quote, USD_PER[quote] / USD_PER[base], "fixed rates", False)


HS_CODES = ["640391", "640399", "640299", "611030", "640411"]
money_2 = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900"), places=2)
duty_rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.35"), places=3)


@st.composite
def customs_rules(draw, destination: str):
    """Regimes, duty rules and a tax rate for one destination, in the shapes the rule data uses."""
    territory = lc.territory_of(destination)
    currency = draw(st.sampled_from(["EUR", "JPY", "USD", "GBP", "KRW", "KWD"]))
    rounding = draw(st.sampled_from(["half_up", "jp_customs"])) if currency == "JPY" else "half_up"
    threshold_currency = draw(st.sampled_from(["", currency, "EUR", "USD"]))  # one per territory, as in the data

    def regime(rid, threshold, duty_mode):
        return lc.Regime(
            id=rid, code=f"R{rid}", territory=territory, threshold_amount=threshold,
            threshold_currency=threshold_currency if threshold else "",
            threshold_basis=draw(st.sampled_from(["intrinsic", "customs_value"])) if threshold else "",
            value_basis=draw(st.sampled_from(["CIF", "FOB"])), duty_mode=duty_mode,
            flat_duty_amount=draw(money_2) if duty_mode == "flat_per_subheading" else None,
            flat_duty_currency=draw(st.sampled_from(["", "EUR"])) if duty_mode == "flat_per_subheading" else "",
            vat_base=draw(st.sampled_from(["sale_price", "cv_plus_duty", "none"])),
            collection="DDP",
            excluded_hs_prefixes=tuple(draw(st.lists(st.sampled_from(["6403", "6110"]), max_size=1)))
            if threshold else (),
            rounding=rounding, currency=currency, source="test", confidence="C")

    regimes = [regime(1, None, "rules")]
    for rid in range(2, 2 + draw(st.integers(min_value=0, max_value=2))):
        threshold = draw(st.decimals(min_value=Decimal("1"), max_value=Decimal("800"), places=0))
        regimes.append(regime(rid, threshold, draw(st.sampled_from(["relief", "flat_per_subheading", "rules"]))))

    duty_rules = [lc.DutyRuleData(1, territory, "64", "*", "MFN", "ad_valorem", draw(duty_rates), None, "", "pair",
                                  False, (), "test", "C", ON),
                  lc.DutyRuleData(2, territory, "61", "*", "MFN", "ad_valorem", draw(duty_rates), None, "", "pair",
                                  False, (), "test", "C", ON)]
    for rid in range(3, 3 + draw(st.integers(min_value=0, max_value=4))):
        kind = draw(st.sampled_from(["ad_valorem", "specific", "max_of"]))
        duty_rules.append(lc.DutyRuleData(
            rid, territory, draw(st.sampled_from(["6403", "640391", "6402", "6110", "640411"])),
            draw(st.sampled_from(["*", "CN"])), draw(st.sampled_from(["MFN", "RCEP"])), kind, draw(duty_rates),
            draw(money_2) if kind != "ad_valorem" else None, draw(st.sampled_from(["", "USD", "JPY"])), "pair",
            draw(st.booleans()), (), "test", "C", ON))
    tax = lc.TaxRateData(1, destination, "VAT", draw(st.decimals(min_value=Decimal("0"), max_value=Decimal("0.27"),
                                                                 places=2)), "test", "C")
    return lc.Rules(tuple(regimes), tuple(duty_rules), (tax,), fixed_fx)


quote_lines = st.lists(st.builds(
    lc.QuoteLine, key=st.sampled_from(["A", "B", "C"]), hs_code=st.sampled_from(HS_CODES), origin=st.just("CN"),
    quantity=st.integers(min_value=1, max_value=5), unit_price=money_2,
    rcep_origin_country=st.sampled_from(["", "CN"]), rcep_criterion=st.sampled_from(["", "PE", "CTH"])),
    min_size=1, max_size=3)
destinations = st.sampled_from(["DE", "FR", "JP", "KR", "GB", "US", "AU", "SG"])
quote_currencies = st.sampled_from(["USD", "EUR", "JPY", "GBP"])
shippings = st.decimals(min_value=Decimal("0"), max_value=Decimal("60"), places=2)


@st.composite
def quotes(draw):
    destination = draw(destinations)
    data = lc.QuoteInput(destination, ON, draw(quote_currencies), tuple(draw(quote_lines)), draw(shippings))
    return data, draw(customs_rules(destination))


def regime_of(rules: lc.Rules, code: str) -> lc.Regime:
    return next(r for r in rules.regimes if r.code == code)


def assert_rounded_to(amount: Decimal, currency: str) -> None:
    assert decimals_of(amount) <= currency_exponent(currency), (amount, currency)


@QUOTES
@given(quote=quotes())
def test_a_breakdown_adds_up_is_rounded_per_currency_and_nothing_is_negative(quote):
    data, rules = quote
    result = lc.quote(data, rules)
    ccy = result.customs_currency
    assert result.total == result.goods + result.shipping + result.duty_in_currency + result.tax_in_currency
    assert result.goods == quantize(sum((line.unit_price * line.quantity for line in data.lines), Decimal(0)),
                                    data.currency)
    for amount in (result.goods, result.shipping, result.duty_in_currency, result.tax_in_currency, result.total):
        assert_rounded_to(amount, data.currency)
        assert amount >= 0
    for amount in (result.customs_value, result.duty, result.tax, result.saving_vs_mfn):
        assert_rounded_to(amount, ccy)
        assert amount >= 0
    for line in result.duty_lines:
        assert_rounded_to(line.amount, ccy)
        assert 0 <= line.amount <= line.mfn_amount  # a preference is taken only when it is lower
    assert result.saving_vs_mfn == sum((d.mfn_amount - d.amount for d in result.duty_lines), Decimal(0))
    if regime_of(rules, result.regime).rounding == "jp_customs":
        assert result.duty % 100 == 0 and result.tax % 100 == 0 and result.tax_base % 1000 == 0
        # The consignment's duty is truncated to 100, each line's rounded to the yen.
        line_total = sum((d.amount for d in result.duty_lines), Decimal(0))
        assert -len(result.duty_lines) / 2 <= line_total - result.duty < 100 + len(result.duty_lines) / 2
    else:
        assert result.duty == sum((d.amount for d in result.duty_lines), Decimal(0))


@QUOTES
@given(quote=quotes())
def test_the_regime_decides_how_duty_is_charged(quote):
    data, rules = quote
    result = lc.quote(data, rules)
    regime = regime_of(rules, result.regime)
    if regime.duty_mode == "relief":
        assert (result.duty, result.duty_lines) == (0, [])
    elif regime.duty_mode == "flat_per_subheading":
        subheadings = {line.hs_code[:6] for line in data.lines}
        assert sorted(d.hs_code for d in result.duty_lines) == sorted(subheadings)
        assert len({d.amount for d in result.duty_lines}) == 1  # the same flat amount for each
    else:
        assert len(result.duty_lines) == len(data.lines)
    if regime.vat_base == "none":
        assert result.tax == 0
    # Goods a low-value regime excludes never get its relief.
    assert not any(line.hs_code.startswith(prefix) for line in data.lines for prefix in regime.excluded_hs_prefixes)
    if result.preference_applied:
        assert data.destination in lc.RCEP_PARTIES
        assert {d["sku"] for d in result.origin_declarations} <= {line.key for line in data.lines
                                                                  if line.rcep_criterion and line.rcep_origin_country}
    else:
        assert result.origin_declarations == [] and result.saving_vs_mfn == 0


def rank(rules: lc.Rules, code: str) -> Decimal:
    """Where a regime sits on the value scale: its threshold, the import regime above them all."""
    threshold = regime_of(rules, code).threshold_amount
    return Decimal("Infinity") if threshold is None else threshold


def dearer(data: lc.QuoteInput, factor: Decimal) -> lc.QuoteInput:
    return dataclasses.replace(data, lines=tuple(dataclasses.replace(line, unit_price=line.unit_price * factor)
                                                 for line in data.lines))


factors = st.decimals(min_value=Decimal("1"), max_value=Decimal("20"), places=2)


@QUOTES
@given(quote=quotes(), factor=factors)
def test_a_dearer_parcel_never_falls_to_a_lower_value_regime(quote, factor):
    data, rules = quote
    assert rank(rules, lc.quote(dearer(data, factor), rules).regime) >= rank(rules, lc.quote(data, rules).regime)


@QUOTES
@given(quote=quotes(), factor=factors)
def test_the_same_goods_dearer_never_pay_less_duty_and_tax_within_one_regime(quote, factor):
    data, rules = quote
    cheap, dear = lc.quote(data, rules), lc.quote(dearer(data, factor), rules)
    if cheap.regime == dear.regime:  # crossing a threshold may change the regime, and so the charges
        assert dear.duty >= cheap.duty
        assert dear.duty + dear.tax >= cheap.duty + cheap.tax


@QUOTES
@given(quote=quotes(), shipping=shippings)
def test_an_intrinsic_value_threshold_ignores_the_shipping(quote, shipping):
    data, rules = quote
    assume(all(r.threshold_basis == "intrinsic" for r in rules.regimes if r.threshold_amount is not None))
    assert lc.quote(dataclasses.replace(data, shipping=shipping), rules).regime == lc.quote(data, rules).regime


@QUOTES
@given(quote=quotes())
def test_a_missing_duty_rule_is_a_gap_named_not_a_partial_quote(quote):
    data, rules = quote
    without_mfn = dataclasses.replace(rules, duty_rules=tuple(r for r in rules.duty_rules if r.scheme != "MFN"))
    regime = lc.quote(data, rules).regime
    if regime_of(rules, regime).duty_mode != "rules":
        return  # relief and flat regimes need no tariff rule
    with pytest.raises(lc.RuleGap) as gap:
        lc.quote(data, without_mfn)
    assert all(m.startswith("No duty rule for HS ") for m in gap.value.missing)
    assert len(gap.value.missing) == len(data.lines)


@PURE
@given(free=st.dictionaries(st.integers(1, 50), st.integers(1, 500), min_size=1, max_size=12), data=st.data())
def test_a_deal_cap_spread_over_sizes_adds_up_and_gives_no_size_more_than_it_has_free(free, data):
    cap = data.draw(st.integers(1, sum(free.values())))
    shares = deal_cap_spread(cap=cap, free=free)
    assert sum(shares.values()) == cap
    assert all(0 < units <= free[size] for size, units in shares.items())
    total = sum(free.values())  # largest remainder: each size within one unit of its exact share
    assert all(abs(shares.get(size, 0) - cap * units / total) < 1 for size, units in free.items())
