"""Foot profiles and size recommendations (customs spec §7.4): the longer foot, rounded up to 5 mm,
matched to the product's own size chart (each variant's foot length and width class), falling back
to the generic conversion table only when the product has no chart."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from config.errors import Conflict, InvalidInput, NotFound
from fit.errors import NoSizeData, NotEnoughBuyers
from fit.models import FitReport, FootProfile
from orders.models import PAYMENT_TAKEN, OrderLine, OrderStatus, Shipment
from shop import sizing
from shop.models import Variant

PROFILE_FIELDS = ("name", "gender", "left_length_mm", "right_length_mm", "left_girth_mm", "right_girth_mm",
                  "method", "measured_on")


def _check(values: dict) -> None:
    errors: dict[str, list[str]] = {}
    for side in ("left", "right"):
        length = values.get(f"{side}_length_mm")
        if length is None or not 100 <= length <= 350:
            errors[f"{side}_length_mm"] = ["A foot is 100 to 350 mm long."]
        girth = values.get(f"{side}_girth_mm")
        if girth is not None and not 150 <= girth <= 350:
            errors[f"{side}_girth_mm"] = ["A ball girth is 150 to 350 mm."]
    if errors:
        raise InvalidInput("These measurements are outside human ranges.", fields=errors)


@transaction.atomic
def foot_profile_create(*, buyer, **values) -> FootProfile:
    values = {k: v for k, v in values.items() if k in PROFILE_FIELDS}
    _check(values)
    return FootProfile.objects.create(buyer=buyer, **values)


@transaction.atomic
def foot_profile_delete(*, buyer, profile_id: int) -> None:
    deleted, _ = FootProfile.objects.filter(pk=profile_id, buyer=buyer).delete()
    if not deleted:
        raise NotFound("No such foot profile.")


def fit_report(*, buyer, order_number: str, order_line_id: int, verdict: str) -> FitReport:
    """After delivery, once per line."""
    if verdict not in FitReport.Verdict.values:
        raise InvalidInput("Unknown verdict.", fields={"verdict": [f"One of {', '.join(FitReport.Verdict.values)}."]})
    line = (OrderLine.objects.filter(pk=order_line_id, order__buyer=buyer, order__number=order_number)
            .select_related("variant", "shipment", "order").first())
    if line is None:
        raise NotFound("No such order line.")
    delivered = line.shipment.status == Shipment.Status.DELIVERED or line.order.status == OrderStatus.DELIVERED
    if not delivered:
        raise Conflict("Report the fit once the parcel has arrived.")
    with transaction.atomic():
        report, created = FitReport.objects.get_or_create(order_line=line, defaults={
            "product_id": line.variant.product_id, "verdict": verdict})
    if not created:
        raise Conflict("The fit of this line was already reported.")
    return report


def fit_return_record(*, order_line, verdict: str) -> None:
    """A line returned because it did not fit counts as that line's fit report (unless the buyer wrote one)."""
    FitReport.objects.get_or_create(order_line=order_line, defaults={
        "product_id": order_line.variant.product_id, "verdict": verdict})


def product_offset_mm(product_id: int) -> int:
    counts = dict(FitReport.objects.filter(product_id=product_id).values_list("verdict").annotate(n=Count("id")))
    return sizing.learned_offset_mm(too_small=counts.get("too_small", 0), right=counts.get("right", 0),
                                    too_large=counts.get("too_large", 0),
                                    minimum_reports=settings.LIVEDOCK_FIT_MIN_REPORTS)


@dataclass
class Recommendation:
    foot_length_mm: int
    nominal_length_mm: int
    width_class: str | None
    variant: Variant
    size_in_system: str
    system: str
    basis: str
    confidence: str
    fit_note: str
    learned_offset_mm: int = 0


def size_recommend(*, buyer, product_slug: str, profile_id: int, system: str) -> Recommendation:
    if system not in sizing.SYSTEMS:
        raise InvalidInput("Unknown size system.", fields={"system": [f"One of {', '.join(sizing.SYSTEMS)}."]})
    profile = FootProfile.objects.filter(pk=profile_id, buyer=buyer).first()
    if profile is None:
        raise NotFound("No such foot profile.", fields={"profile": ["Not one of yours."]})
    variants = list(Variant.objects.filter(product__slug=product_slug, product__is_active=True, is_active=True)
                    .select_related("product").order_by("id"))
    if not variants:
        raise NotFound("No such product.")
    left = (profile.left_length_mm, profile.left_girth_mm)
    right = (profile.right_length_mm, profile.right_girth_mm)
    length, girth = max(left, right, key=lambda side: side[0])  # the longer foot decides
    offset = product_offset_mm(variants[0].product_id)
    nominal = sizing.nominal_length_mm(length) + offset  # buyers' reports on this last
    width = sizing.width_class(nominal, girth, profile.gender) if girth else None

    charted = [v for v in variants if v.foot_length_mm]
    basis = "the product's own size chart"
    if not charted:
        charted = []
        for variant in variants:
            try:
                variant.foot_length_mm = sizing.length_from_label(variant.size_label, variant.size_system)
                charted.append(variant)
            except sizing.UnknownSizeSystem:
                continue
        basis = "the generic conversion table (the product has no size chart)"
    if not charted:
        raise NoSizeData(fields={"product": ["No foot lengths or convertible sizes."]})
    fitting = [v for v in charted if v.foot_length_mm >= nominal]
    confidence = "high" if basis.startswith("the product's") and width else "medium"
    if fitting:
        best_length = min(v.foot_length_mm for v in fitting)
        candidates = [v for v in fitting if v.foot_length_mm == best_length]
    else:
        best_length = max(v.foot_length_mm for v in charted)
        candidates = [v for v in charted if v.foot_length_mm == best_length]
        confidence = "low"
    if width:
        chosen = min(candidates, key=lambda v: sizing.class_distance(v.width_class, width) if v.width_class else 9)
    else:
        chosen = candidates[0]
    note = ""
    if width and chosen.width_class and sizing.class_distance(chosen.width_class, width) >= 2:
        wider = sizing.WIDTH_CLASSES.index(width) > sizing.WIDTH_CLASSES.index(chosen.width_class)
        note = (f"Your foot is {width}; this shoe is made {chosen.width_class}: it will feel "
                f"{'tight across the ball' if wider else 'loose across the ball'}.")
    if not fitting:
        note = (note + " " if note else "") + "Even the largest size is shorter than your foot."
    if system in sizing.UNCERTAIN_SYSTEMS:
        confidence = "low" if confidence == "low" else "medium"
    return Recommendation(length, nominal, width, chosen, sizing.size_label(chosen.foot_length_mm, system), system,
                          basis, confidence, note, offset)


@dataclass
class SizeCurve:
    market: str
    category: str
    buyers: int
    batch: int
    rows: list[dict]  # {"length_mm", "eu", "width", "buyers", "share", "pairs"}


def size_curve(*, manufacturer_id: int, market: str, category_slug: str, batch: int) -> SizeCurve:
    """How many pairs of each length and width to make for a batch, from the foot profiles of buyers
    who ordered this manufacturer's goods of the category to the market. Only aggregates over at
    least LIVEDOCK_FIT_MIN_BUYERS buyers are ever shown."""
    if not 1 <= batch <= 1_000_000:
        raise InvalidInput("A batch is 1 to 1,000,000 pairs.", fields={"batch": ["1-1000000"]})
    buyer_ids = set(OrderLine.objects.filter(
        manufacturer_id=manufacturer_id, order__destination_country=market.upper(),
        variant__product__category__slug=category_slug,
        order__payment_status__in=PAYMENT_TAKEN,
    ).values_list("order__buyer_id", flat=True))
    profiles = {}
    for profile in FootProfile.objects.filter(buyer_id__in=buyer_ids).order_by("buyer_id", "id"):
        profiles.setdefault(profile.buyer_id, profile)  # each buyer's first profile
    if len(profiles) < settings.LIVEDOCK_FIT_MIN_BUYERS:
        raise NotEnoughBuyers(f"Only {len(profiles)} buyers with foot profiles; at least "
                              f"{settings.LIVEDOCK_FIT_MIN_BUYERS} are needed to show a size curve.")
    buckets: Counter = Counter()
    for profile in profiles.values():
        length, girth = max((profile.left_length_mm, profile.left_girth_mm),
                            (profile.right_length_mm, profile.right_girth_mm), key=lambda side: side[0])
        nominal = sizing.nominal_length_mm(length)
        width = sizing.width_class(nominal, girth, profile.gender) if girth else "E"
        buckets[(nominal, width)] += 1
    total = sum(buckets.values())
    # Largest remainder: the pairs add up to the batch exactly.
    exact = {key: Decimal(count * batch) / total for key, count in buckets.items()}
    pairs = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: (-(exact[k] - pairs[k]), k))[: batch - sum(pairs.values())]:
        pairs[key] += 1
    rows = [{"length_mm": length, "eu": sizing.size_label(length, "EU"), "width": width, "buyers": count,
             "share": f"{Decimal(count * 100) / total:.1f}", "pairs": pairs[(length, width)]}
            for (length, width), count in sorted(buckets.items())]
    return SizeCurve(market.upper(), category_slug, total, batch, rows)
