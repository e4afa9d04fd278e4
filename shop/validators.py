"""Validators for the codes customs and retail need from every product (see docs/catalog.md)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from .money import CURRENCY_EXPONENTS

# GB 32100-2015 unified social credit code: 18 characters from this alphabet, the last a check
# character. China export declarations (CEB ebcCode) carry it as the enterprise's code.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(rf"^[{_USCC_ALPHABET}]{{18}}$")


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_customs_code(value: str) -> None:
    if not _USCC_RE.match(value or ""):
        raise ValidationError(
            "Enter the 18-character unified social credit code (digits and capital letters, no I, O, S, V, Z).",
            code="customs_code_format",
        )
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError("The check character of this customs registration code is wrong.",
                              code="customs_code_check")


def gtin_check_digit(body: str) -> str:
    """GS1 mod-10 check digit for the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def validate_gtin(value: str) -> None:
    if not value:
        return
    if not re.fullmatch(r"\d{8}|\d{12}|\d{13}|\d{14}", value):
        raise ValidationError("A GTIN has 8, 12, 13 or 14 digits.", code="gtin_format")
    if gtin_check_digit(value[:-1]) != value[-1]:
        raise ValidationError("The GTIN check digit is wrong.", code="gtin_check")


def validate_hs_code(value: str) -> None:
    if not re.fullmatch(r"\d{6}", value or ""):
        raise ValidationError("An HS code has exactly 6 digits (e.g. 640391).", code="hs_code_length")


def validate_cn_commodity_code(value: str) -> None:
    if not re.fullmatch(r"\d{10}", value or ""):
        raise ValidationError("China's commodity code has exactly 10 digits (e.g. 6403911900).",
                              code="cn_code_length")


def validate_country_code(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{2}", value or ""):
        raise ValidationError("Use an ISO 3166-1 alpha-2 country code, e.g. CN.", code="country_code")


def validate_currency_code(value: str) -> None:
    if value not in CURRENCY_EXPONENTS:
        raise ValidationError(f"Unknown or unsupported ISO 4217 currency code: {value!r}.",
                              code="currency_code")
