"""Money arithmetic: Decimal amounts with ISO-4217 currencies, quantized to each currency's exponent.

Exponents follow ISO 4217 (JPY and KRW have no minor unit; BHD, JOD, KWD, OMR and TND have three).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
