"""The URL converter for order numbers: only the shape checkout issues (`LD-YYMMDD-XXXXXX`, orders/services/checkout.py
`_order_number`) reaches a view, so a malformed number (a NUL byte, a megabyte of text) answers 404 before any query."""

from __future__ import annotations

# Six digits of the date, then six characters of checkout's alphabet (no 0/O or 1/I).
ORDER_NUMBER_REGEX = "LD-[0-9]{6}-[2-9A-HJ-NP-Z]{6}"


class OrderNumberConverter:
    regex = ORDER_NUMBER_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
