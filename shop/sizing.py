"""Shoe sizes from feet: conversions between sizing systems and JIS width classes (customs spec §7).

Pure functions. Sources (customs spec §7): CN / Mondopoint size = foot length in mm (GB/T 3293.1, ISO
9407); JP = foot length in cm; men's reference table (kusumin.com) gives US men = JP - 18,
UK = JP - 18.5, EU = 2 x JP - 10; width classes from JIS S 5037 as derived in §7.3 (girth E at a
length, 6 mm per class) [I]. Women's US sizes are uncertain [U]: UK + 2 (retail tables) is used and
flagged. Brand charts (a variant's own foot length and width class) always take precedence.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

SYSTEMS = ("EU", "UK", "US_M", "US_W", "JP", "CN")
WIDTH_CLASSES = ("A", "B", "C", "D", "E", "2E", "3E", "4E", "F", "G")
# Offsets in mm of ball girth from class E (§7.3).
WIDTH_OFFSETS = dict(zip(WIDTH_CLASSES, (-24, -18, -12, -6, 0, 6, 12, 18, 24, 30), strict=True))
UNCERTAIN_SYSTEMS = frozenset({"US_W"})
# A size label that is a number (what a conversion reads): "42", "7.5".
_SIZE_NUMBER = re.compile(r"^\s*[0-9]{1,4}(\.[0-9]{1,3})?\s*$")


class UnknownSizeSystem(ValueError):
    pass


def nominal_length_mm(foot_length_mm: int) -> int:
    """Step 2 of the recommender: the foot length rounded up to 5 mm."""
    return int(math.ceil(foot_length_mm / 5) * 5)


def size_label(length_mm: int, system: str) -> str:
    """The size for a nominal foot length in a system (men's table relations; US women UK + 2 [U])."""
    jp = Decimal(length_mm) / 10
    if system == "CN":
        return str(length_mm)
    if system == "JP":
        return _fmt(jp)
    if system == "EU":
        return _fmt(_half(2 * jp - 10))
    if system == "UK":
        return _fmt(_half(jp - Decimal("18.5")))
    if system == "US_M":
        return _fmt(_half(jp - 18))
    if system == "US_W":
        return _fmt(_half(jp - Decimal("18.5") + 2))
    raise UnknownSizeSystem(system)


def length_from_label(label: str, system: str) -> int:
    """The nominal foot length (mm) a size label means in a system."""
    try:
        value = Decimal(label)
    except ArithmeticError as exc:
        raise UnknownSizeSystem(f"{label!r} is not a {system} size") from exc
    if system == "CN":
        jp = value / 10
    elif system == "JP":
        jp = value
    elif system == "EU":
        jp = (value + 10) / 2
    elif system == "UK":
        jp = value + Decimal("18.5")
    elif system == "US_M":
        jp = value + 18
    elif system == "US_W":
        jp = value + Decimal("18.5") - 2
    else:
        raise UnknownSizeSystem(system)
    return int((jp * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def girth_e_mm(length_mm: int, gender: str) -> Decimal:
    """Ball girth of width class E at a foot length (§7.3, derived [I])."""
    if gender == "women":
        return Decimal(231) + Decimal(3) * (length_mm - 235) / 5
    return Decimal(243) + Decimal(3) * (length_mm - 250) / 5


def width_class(length_mm: int, girth_mm: int, gender: str) -> str:
    """The nearest JIS width class for a ball girth at a length."""
    offset = Decimal(girth_mm) - girth_e_mm(length_mm, gender)
    return min(WIDTH_CLASSES, key=lambda c: (abs(offset - WIDTH_OFFSETS[c]), WIDTH_OFFSETS[c]))


def class_distance(a: str, b: str) -> int:
    return abs(WIDTH_CLASSES.index(a) - WIDTH_CLASSES.index(b))


def _half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _fmt(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def learned_offset_mm(*, too_small: int, right: int, too_large: int, minimum_reports: int) -> int:
    """How much longer (or shorter) than the foot to size a last, learned from fit reports: 5 mm per
    30 points of net "too small" share, at most 10 mm either way, and only once the side it moves
    towards has enough reports of its own. That last rule keeps the property that more "too small"
    reports never lower the size (a tested property): a total-count threshold would let one more
    "too small" report switch on an older "too large" majority."""
    total = too_small + right + too_large
    if total == 0:
        return 0
    net = Decimal(too_small - too_large) / total
    if (net > 0 and too_small < minimum_reports) or (net < 0 and too_large < minimum_reports):
        return 0
    steps = int((abs(net) / Decimal("0.3")).to_integral_value(rounding="ROUND_FLOOR"))
    return (1 if net > 0 else -1) * min(steps, 2) * 5


def size_in_system(size_system: str, label: str, foot_length_mm: int | None, target: str) -> str | None:
    """The size a variant is shown under in a buyer's size system (search facets and the size filter): its own
    label in its own system; in another system the size for its foot length (the brand's chart), or failing
    that for its label's length; None where neither converts (apparel sizes, a label that is no number).
    The database computes the same in `shop_size_in_system` (migration shop 0009); a property test keeps
    them equal."""
    if size_system == target:
        return label
    if target not in SYSTEMS:
        return None
    length = foot_length_mm
    if length is None and size_system in SYSTEMS and _SIZE_NUMBER.match(label):
        length = length_from_label(label.strip(), size_system)
    if length is None:
        return None
    return size_label(nominal_length_mm(length), target)
