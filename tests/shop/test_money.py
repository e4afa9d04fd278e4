"""Card payments in minor units (shop/money.py): what Stripe is sent for each currency, and what no card can
carry. Pure: no database, Redis or Stripe."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop import money


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("206.40", "EUR", 20640), ("15000", "JPY", 15000), ("15000.4", "JPY", 15000), ("1200", "KRW", 1200),
     ("5.124", "KWD", 5120), ("5.125", "KWD", 5130), ("0.50", "USD", 50), ("0.30", "GBP", 30)],
)
def test_minor_units_use_each_currencys_exponent(amount, currency, minor):
    assert money.to_minor_units(Decimal(amount), currency) == minor


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("0.49", "USD"), ("49", "JPY"), ("0.29", "GBP"), ("1000000.00", "USD"), ("10", "XXX"), ("10", "BTC")],
)
def test_amounts_stripe_cannot_charge_are_refused(amount, currency):
    with pytest.raises(money.PaymentNotPossible) as err:
        money.to_minor_units(Decimal(amount), currency)
    assert err.value.code == "payment_not_possible"


@given(cents=st.integers(min_value=50, max_value=99_999_999), currency=st.sampled_from(["USD", "EUR", "GBP"]))
def test_two_decimal_round_trip(cents, currency):
    amount = Decimal(cents) / 100
    assert money.from_minor_units(money.to_minor_units(amount, currency), currency) == amount


@given(units=st.integers(min_value=100, max_value=99_999_999), currency=st.sampled_from(["JPY", "KRW"]))
def test_zero_decimal_round_trip(units, currency):
    assert money.to_minor_units(Decimal(units), currency) == units


@given(thousandths=st.integers(min_value=500, max_value=9_999_999))
def test_three_decimal_amounts_always_end_in_zero(thousandths):
    minor = money.to_minor_units(Decimal(thousandths) / 1000, "KWD")
    assert minor % 10 == 0
    assert abs(minor - thousandths) <= 5
