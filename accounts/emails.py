"""E-mail addresses as account names: one spelling per mailbox, so two accounts can never look alike.

An address is NFKC-normalised and lower-cased, its domain written in ASCII (IDNA 2008 with UTS #46, so
`bücher.example` and `xn--bcher-kva.example` are one domain), and refused when it hides format characters
(zero-width spaces and the like, Unicode category Cf) or controls, or when its domain is not an internet
domain: a single label such as `localhost`, or an IP address.
"""

from __future__ import annotations

import ipaddress
import unicodedata

import idna
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Invisible, control, private-use, unassigned and separator characters: none belongs in an address.
_REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs", "Zs", "Zl", "Zp"})
MAX_LENGTH = 150  # the user name column


class EmailRefused(ValueError):
    """The address cannot name an account; the message says why, for the person who typed it."""


def email_normalize(value: str) -> str:
    """The one spelling of `value` that names an account, or EmailRefused."""
    address = unicodedata.normalize("NFKC", value.strip())
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in address):
        raise EmailRefused("The address contains invisible or control characters.")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise EmailRefused("Enter a valid email address.")
    domain = domain.removesuffix(".")
    if domain.startswith("[") or _is_ip(domain):
        raise EmailRefused("Use an address at a domain name, not an IP address.")
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise EmailRefused("The address's domain is not a valid domain name.") from exc
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        raise EmailRefused("Use an address at an internet domain (such as example.com).")
    normalized = f"{local.lower()}@{domain}"
    if len(normalized) > MAX_LENGTH:
        raise EmailRefused(f"The address is longer than {MAX_LENGTH} characters.")
    try:
        validate_email(normalized)
    except ValidationError as exc:
        raise EmailRefused("Enter a valid email address.") from exc
    return normalized


def _is_ip(domain: str) -> bool:
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        return False
    return True
