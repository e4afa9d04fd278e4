"""Money arithmetic: Decimal amounts with ISO-4217 currencies, quantized to each currency's exponent.

Exponents follow ISO 4217 (JPY and KRW have no minor unit; BHD, JOD, KWD, OMR and TND have three).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from shop.errors import PaymentNotPossible

CURRENCY_EXPONENTS: dict[str, int] = {
    "AUD": 2, "BHD": 3, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2, "EUR": 2, "GBP": 2,
    "HKD": 2, "HUF": 2, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MYR": 2, "NOK": 2, "NZD": 2,
    "OMR": 3, "PLN": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TWD": 2, "USD": 2, "VND": 0,
}

# Cross rates are carried with this many decimal places so that conversions are reproducible.
RATE_PLACES = Decimal("0.0000000001")


class UnknownCurrency(ValueError):
    pass


def currency_exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise UnknownCurrency(currency) from None


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half away from zero (commercial rounding) to the currency's minor unit."""
    exponent = currency_exponent(currency)
    return amount.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)


def convert(amount: Decimal, rate: Decimal, to_currency: str) -> Decimal:
    return quantize(amount * rate, to_currency)


# --- Card payments in minor units ---------------------------------------------------------------------
# What a card payment can carry, per currency, and its integer amount at the provider: checkout refuses an
# order no card could pay, and the payment gateway sends these amounts to Stripe.

# Stripe's zero-decimal currencies (docs.stripe.com/currencies, "Zero-decimal currencies").
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())

# Three-decimal currencies: the amount's last digit must be 0 (same page).
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())

# Smallest charge per currency, from the same page's minimum charge table. Stripe's real minimum is
# 0.50 USD after conversion to the settlement currency, so these are the floor we check before calling.
MINIMUM_CHARGE: dict[str, Decimal] = {
    "USD": Decimal("0.50"), "EUR": Decimal("0.50"), "GBP": Decimal("0.30"), "JPY": Decimal("50"),
    "AUD": Decimal("0.50"), "CAD": Decimal("0.50"), "SGD": Decimal("0.50"), "KRW": Decimal("100"),
    "CNY": Decimal("4.00"), "HKD": Decimal("4.00"), "CHF": Decimal("0.50"), "NZD": Decimal("0.50"),
}

# Stripe's own maximum: eight digits in the minor unit.
MAXIMUM_MINOR = 99_999_999


def to_minor_units(amount: Decimal, currency: str, *, charge: bool = True) -> int:
    """Decimal amount -> Stripe integer amount, refusing what Stripe cannot charge. Refunds and
    transfers (`charge=False`) have no minimum."""
    code = currency.upper()
    if code not in MINIMUM_CHARGE and code not in THREE_DECIMAL:
        raise PaymentNotPossible(f"We cannot take card payments in {code}.", fields={"currency": [code]})
    if charge and amount < MINIMUM_CHARGE.get(code, Decimal(0)):
        raise PaymentNotPossible(f"{amount} {code} is below the smallest card charge of "
                                 f"{MINIMUM_CHARGE[code]} {code}.", fields={"amount": ["Below the minimum."]})
    if code in ZERO_DECIMAL:
        minor = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    elif code in THREE_DECIMAL:
        # Round to the nearest ten thousandths-of-a-unit, e.g. 5.124 KWD -> 5120.
        minor = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10
    else:
        minor = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if minor > MAXIMUM_MINOR:
        raise PaymentNotPossible("The amount is above what one card payment can carry.",
                                 fields={"amount": ["Too large."]})
    return minor


def from_minor_units(minor: int, currency: str) -> Decimal:
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return Decimal(minor)
    if code in THREE_DECIMAL:
        return Decimal(minor) / 1000
    return Decimal(minor) / 100

