"""What a shipping address needs in each destination we sell to: the postal code format and whether a
region (state, province, prefecture) is required. Formats are the national postal operators'
published patterns; a country not listed accepts any code up to 12 characters but is not a market
we price customs for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AddressRule:
    postal_pattern: str
    example: str
    region_required: bool = False


# EU member states (27), then the UK and the other main markets.
ADDRESS_RULES: dict[str, AddressRule] = {
    "AT": AddressRule(r"\d{4}", "1010"),
    "BE": AddressRule(r"\d{4}", "1000"),
    "BG": AddressRule(r"\d{4}", "1000"),
    "HR": AddressRule(r"\d{5}", "10000"),
    "CY": AddressRule(r"\d{4}", "1010"),
    "CZ": AddressRule(r"\d{3} ?\d{2}", "110 00"),
    "DK": AddressRule(r"\d{4}", "1050"),
    "EE": AddressRule(r"\d{5}", "10111"),
    "FI": AddressRule(r"\d{5}", "00100"),
    "FR": AddressRule(r"\d{5}", "75001"),
    "DE": AddressRule(r"\d{5}", "80331"),
    "GR": AddressRule(r"\d{3} ?\d{2}", "105 57"),
    "HU": AddressRule(r"\d{4}", "1011"),
    "IE": AddressRule(r"[AC-FHKNPRTV-Y]\d{2}[0-9W] ?[0-9AC-FHKNPRTV-Y]{4}", "D02 X285"),
    "IT": AddressRule(r"\d{5}", "00118"),
    "LV": AddressRule(r"(LV-)?\d{4}", "LV-1050"),
    "LT": AddressRule(r"(LT-)?\d{5}", "LT-01100"),
    "LU": AddressRule(r"(L-)?\d{4}", "L-1648"),
    "MT": AddressRule(r"[A-Z]{3} ?\d{4}", "VLT 1117"),
    "NL": AddressRule(r"\d{4} ?[A-Z]{2}", "1012 AB"),
    "PL": AddressRule(r"\d{2}-\d{3}", "00-001"),
    "PT": AddressRule(r"\d{4}-\d{3}", "1100-148"),
    "RO": AddressRule(r"\d{6}", "010011"),
    "SK": AddressRule(r"\d{3} ?\d{2}", "811 01"),
    "SI": AddressRule(r"\d{4}", "1000"),
    "ES": AddressRule(r"\d{5}", "28001"),
    "SE": AddressRule(r"\d{3} ?\d{2}", "111 22"),
    "GB": AddressRule(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "SW1A 1AA"),
    "US": AddressRule(r"\d{5}(-\d{4})?", "94103", region_required=True),
    "JP": AddressRule(r"\d{3}-?\d{4}", "100-0001", region_required=True),
    "KR": AddressRule(r"\d{5}", "03187"),
    "AU": AddressRule(r"\d{4}", "2000", region_required=True),
    "CA": AddressRule(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d", "M5V 3L9",
                      region_required=True),
    "SG": AddressRule(r"\d{6}", "018956"),
}

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)


def address_errors(*, country: str, postal_code: str, region: str) -> dict[str, list[str]]:
    """Field errors for an address in `country`; empty when it is acceptable."""
    errors: dict[str, list[str]] = {}
    rule = ADDRESS_RULES.get(country)
    if rule is None:
        errors["country"] = [f"We do not ship to {country!r}. Ship-to countries: {', '.join(sorted(ADDRESS_RULES))}."]
        return errors
    code = postal_code.strip().upper()
    if not re.fullmatch(rule.postal_pattern, code):
        errors["postal_code"] = [f"Not a valid postal code for {country}, e.g. {rule.example}."]
    if rule.region_required and not region.strip():
        errors["region"] = [f"A {country} address needs its state, province or prefecture."]
    return errors
