from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.html import escape

from config.errors import NotFound
from shop.selectors import category_get_by_slug, category_subtree_q

from . import gate
from .errors import ClaimExpired, DealError, DealLimitReached, DealNotActive, DealSizeSoldOut, DealSoldOut
from .models import (
    ClaimStatus,
    DealAllocation,
    DealClaim,
    DealPurchase,
    DealWaitlistEntry,
    Festival,
    FlashDeal,
    LiveSession,
    PinnedProduct,
    SessionMetrics,
    SessionStatus,
    Studio,
    WaitlistStatus,
)


def session_list(*, festival_slug: str | None = None, host_handle: str | None = None,
                 category_slug: str | None = None, include_past: bool = False) -> QuerySet[LiveSession]:
    """Published sessions that are live or still to come (buyers' view)."""
    qs = (LiveSession.objects.filter(is_draft=False, status__in=[SessionStatus.SCHEDULED, SessionStatus.LIVE])
          .select_related("festival", "studio__base", "host"))
    if not include_past:
        qs = qs.filter(ends_at__gte=timezone.now())
    if festival_slug:
        qs = qs.filter(festival__slug=festival_slug)
    if host_handle:
        qs = qs.filter(host__handle=host_handle)
    if category_slug:
        category = category_get_by_slug(slug=category_slug)
        if category is None:
            return qs.none()
        qs = qs.filter(category_subtree_q(category, prefix="lineup__product__category"),
                       lineup__status="approved").distinct()
    return qs.order_by("starts_at", "id")


def session_get(*, session_id: int) -> LiveSession:
    session = LiveSession.objects.select_related("festival", "host", "studio__base").filter(
        pk=session_id, is_draft=False).first()
    if session is None:
        raise NotFound("No such session.")
    return session


def deal_for_cart(*, deal_id: int, product_id: int, variant_id: int, quantity: int):
    """A running deal on this product with units of this size, or a clear error (the checkout enforces it
    again atomically)."""
    now = timezone.now()
    deal = FlashDeal.objects.filter(pk=deal_id).first()
    if deal is None or deal.product_id != product_id:
        raise DealError("That deal is not for this product.", fields={"deal": ["Wrong product."]})
    running = FlashDeal.objects.filter(Q(session__isnull=True) | Q(session__status=SessionStatus.LIVE),
                                       Q(ended_early_at__isnull=True), pk=deal_id, starts_at__lte=now,
                                       ends_at__gt=now).exists()
    if not running:
        raise DealNotActive()
    if deal.remaining < quantity:
        raise DealSoldOut()
    if quantity > deal.per_buyer_limit:
        raise DealLimitReached(f"At most {deal.per_buyer_limit} per buyer.")
    if deal_units_by_size(deal_ids=[deal_id]).get((deal_id, variant_id), 0) < quantity:
        raise DealSizeSoldOut()
    return deal


def deal_units_by_size(*, deal_ids) -> dict[tuple[int, int], int]:
    """(deal id, variant id) -> units set aside for the deal in that size and in no order yet (claimed
    units included: a claim holds them until it is ordered)."""
    rows = (DealAllocation.objects.filter(deal_id__in=list(deal_ids)).values_list("deal_id", "stock_level__variant_id")
            .annotate(n=Sum("remaining")))
    return {(deal_id, variant_id): n for deal_id, variant_id, n in rows}


@dataclass(frozen=True)
class DealSize:
    variant_id: int
    sku: str
    size_label: str
    set_aside: int
    remaining: int
    returned: int


def deal_sizes(*, deal_id: int) -> list[DealSize]:
    """A deal's ring-fenced units per size: set aside at launch, still in no order, given back after it."""
    rows = (DealAllocation.objects.filter(deal_id=deal_id)
            .values_list("stock_level__variant_id", "stock_level__variant__sku", "stock_level__variant__size_label")
            .annotate(q=Sum("quantity"), r=Sum("remaining"), b=Sum("returned"))
            .order_by("stock_level__variant_id"))
    return [DealSize(*row) for row in rows]


def deals_by_id(*, deal_ids) -> dict:
    return {d.pk: d for d in FlashDeal.objects.filter(pk__in=list(deal_ids))}


def products_on_live_deal_now() -> frozenset[int]:
    """Products with a flash deal running now in a session that is live: started, not over, not ended early
    (the storefront's "on a live deal now" facet and filter). One query."""
    now = timezone.now()
    return frozenset(
        FlashDeal.objects.filter(ended_early_at__isnull=True, starts_at__lte=now, ends_at__gt=now,
                                 session__status=SessionStatus.LIVE)
        .values_list("product_id", flat=True).distinct()
    )


def session_state(*, session_id: int) -> dict:
    """What a buyer watching the session sees: status, the pinned product, running deals with units that
    can still be claimed, and deals announced ahead with their start on the server's clock (the state API
    adds `server_time` to count down against: video reaches buyers seconds late, the clock does not).
    Small and cheap: it is polled and pushed on every change."""
    session = session_get(session_id=session_id)
    now = timezone.now()
    pin = PinnedProduct.objects.filter(session=session).select_related("lineup_item__product").first()
    deals, upcoming = _not_over(FlashDeal.objects.filter(session=session), now)
    return {
        "session": session.pk,
        "status": session.status,
        "pinned": None if pin is None else {
            "lineup_item": pin.lineup_item_id, "product": pin.lineup_item.product.slug,
            "name": pin.lineup_item.product.name,
            "live_price": {"amount": str(pin.lineup_item.agreed_price), "currency": pin.lineup_item.currency}},
        "deals": [_running_deal(d) for d in deals],
        "upcoming_deals": [_upcoming_deal(d) for d in upcoming],
    }


def _upcoming_deal(deal: FlashDeal) -> dict:
    return {"id": deal.pk, "product": deal.product.slug, "name": deal.product.name,
            "price": {"amount": str(deal.deal_price), "currency": deal.currency},
            "units": deal.quantity_cap, "per_buyer_limit": deal.per_buyer_limit,
            "starts_at": deal.starts_at.isoformat(), "ends_at": deal.ends_at.isoformat()}


def flash_sales(*, product_slug: str | None = None) -> dict:
    """The storefront's flash sales (deals outside live sessions) that are not over: running ones with the
    units buyers can still claim, announced ones with their start. Optionally of one product only."""
    sales = FlashDeal.objects.filter(session__isnull=True)
    if product_slug is not None:
        sales = sales.filter(product__slug=product_slug)
    running, upcoming = _not_over(sales, timezone.now())
    return {"sales": [_running_deal(d) for d in running], "upcoming": [_upcoming_deal(d) for d in upcoming]}


def _not_over(deals, now) -> tuple[list[FlashDeal], list[FlashDeal]]:
    """Of these deals, those not over yet, in start order: (running, announced), annotated for
    `_running_deal` with the buyers and units waiting on their waitlists."""
    waiting = Q(waitlist__status=WaitlistStatus.WAITING)
    current = (deals.filter(ended_early_at__isnull=True, ends_at__gt=now)
               .select_related("product").order_by("starts_at", "ends_at", "id")
               .annotate(waiting_buyers=Count("waitlist", filter=waiting),
                         waiting_units=Sum("waitlist__quantity", filter=waiting)))
    return [d for d in current if d.starts_at <= now], [d for d in current if d.starts_at > now]


def _running_deal(deal: FlashDeal) -> dict:  # annotated with waiting_buyers and waiting_units
    """A running deal as buyers and the host see it: `remaining` can still be claimed (in all, and per size
    in `sizes`), `held` is in claims waiting for checkout, `sold` is in orders; sold out when nothing is
    left to claim; `waitlist` counts buyers waiting for units to come back."""
    claimable, sizes = deal_claimable_by_size(deal)
    return {"id": deal.pk, "product": deal.product.slug, "name": deal.product.name,
            "price": {"amount": str(deal.deal_price), "currency": deal.currency}, "remaining": claimable,
            "held": max(deal.remaining - claimable - (deal.waiting_units or 0), 0),
            "sold": deal.quantity_cap - deal.remaining, "units": deal.quantity_cap, "sold_out": claimable == 0,
            "waitlist": deal.waiting_buyers, "sizes": sizes,
            "per_buyer_limit": deal.per_buyer_limit, "ends_at": deal.ends_at.isoformat()}


def festival_timeline_svg(*, festival, width: int = 1100, row_height: int = 36) -> str:
    """The festival's sessions per studio as an SVG timeline (time runs left to right, UTC)."""
    studios = list(Studio.objects.filter(base_id=festival.base_id).order_by("name"))
    sessions = (LiveSession.objects.filter(festival=festival).exclude(status=SessionStatus.CANCELLED)
                .select_related("host").order_by("starts_at"))
    label_w, top = 120, 30
    span = (festival.ends_at - festival.starts_at).total_seconds()
    usable = width - label_w - 10

    def x(moment) -> float:
        return label_w + usable * max(0.0, min(1.0, (moment - festival.starts_at).total_seconds() / span))

    height = top + row_height * max(len(studios), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11" role="img" aria-label="Timeline of {escape(festival.name)}">']
    day = festival.starts_at.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= festival.ends_at:
        if day >= festival.starts_at:
            parts.append(f'<line x1="{x(day):.1f}" y1="{top - 12}" x2="{x(day):.1f}" y2="{height}" stroke="#ccc"/>'
                         f'<text x="{x(day) + 2:.1f}" y="{top - 16}">{day:%a %d %b}</text>')
        day += dt.timedelta(days=1)
    colours = {"scheduled": "#4a90d9", "live": "#d94a4a", "ended": "#999999"}
    for row, studio in enumerate(studios):
        y = top + row * row_height
        parts.append(f'<text x="4" y="{y + row_height / 2 + 4:.1f}">{escape(studio.name)}</text>')
        for session in (s for s in sessions if s.studio_id == studio.pk):
            x1, x2 = x(session.starts_at), x(session.ends_at)
            fill = "#f0ad4e" if session.is_draft else colours.get(session.status, "#4a90d9")
            title = f"{session.title} - @{session.host.handle} ({session.starts_at:%H:%M}-{session.ends_at:%H:%M})"
            parts.append(f'<g><title>{escape(title)}</title><rect x="{x1:.1f}" y="{y + 4}" '
                         f'width="{max(x2 - x1, 2):.1f}" height="{row_height - 8}" rx="3" fill="{fill}"/>'
                         f'<text x="{x1 + 3:.1f}" y="{y + row_height / 2 + 4:.1f}" fill="white">'
                         f'{escape(session.title[:30])}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def festival_metrics(*, festival_slug: str) -> dict:
    """A festival's totals from its sessions' rolled-up metrics (reporting currency)."""
    festival = Festival.objects.filter(slug=festival_slug).first()
    if festival is None:
        raise NotFound("No such festival.")
    rows = list(SessionMetrics.objects.filter(session__festival=festival))
    gmv = sum((m.gmv for m in rows), Decimal(0))
    refunds = sum((m.refunds for m in rows), Decimal(0))
    orders = sum(m.orders for m in rows)
    views = sum(m.views for m in rows)
    by_currency: dict[str, Decimal] = {}
    for m in rows:
        for currency, amount in m.gmv_by_currency.items():
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + Decimal(amount)
    return {
        "festival": festival.slug, "sessions": len(rows),
        "reporting_currency": rows[0].reporting_currency if rows else "USD", "gmv": gmv, "refunds": refunds,
        "gmv_by_currency": {k: str(v) for k, v in sorted(by_currency.items())},
        "orders": orders, "units": sum(m.units for m in rows), "views": views,
        "average_order_value": ((gmv - refunds) / orders).quantize(Decimal("0.01")) if orders else Decimal(0),
        "gmv_per_thousand_views": ((gmv - refunds) * 1000 / views).quantize(Decimal("0.01")) if views else Decimal(0),
        "host_commission": sum((m.host_commission for m in rows), Decimal(0)),
    }


# --- Claims and the claim gate ---------------------------------------------------------------------

@dataclass(frozen=True)
class DealFacts:
    """What a claim checks of a deal before the gate; the gate itself holds the window and the counts."""

    pk: int
    product_id: int
    per_buyer_limit: int
    session_id: int
    starts_at: dt.datetime


_FACTS_SECONDS = 2.0  # a deal's product and limit never change; this only bounds memory and a late delete
_facts: dict[int, tuple[float, DealFacts | None]] = {}


def deal_facts(*, deal_id: int) -> DealFacts | None:
    """A deal's fixed facts, read once every few seconds per process (None: no such deal)."""
    now = time.monotonic()
    cached = _facts.get(deal_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    row = FlashDeal.objects.filter(pk=deal_id).values_list("product_id", "per_buyer_limit",
                                                          "session_id", "starts_at").first()
    facts = None if row is None else DealFacts(deal_id, *row)
    if len(_facts) > 10_000:
        _facts.clear()
    _facts[deal_id] = (now + _FACTS_SECONDS, facts)
    return facts


def deal_gate_snapshot(*, deal_id: int) -> gate.DealSnapshot:
    """The gate's counts as PostgreSQL has them: units the deal can still promise (remaining, less active
    claims) and each buyer's holding (active claims and units in orders)."""
    deal = FlashDeal.objects.get(pk=deal_id)
    active = DealClaim.objects.filter(deal_id=deal_id, status=ClaimStatus.ACTIVE)
    holdings: dict[int, int] = {}
    for buyer_id, quantity in active.values_list("buyer_id").annotate(n=Sum("quantity")):
        holdings[buyer_id] = holdings.get(buyer_id, 0) + quantity
    for buyer_id, quantity in DealPurchase.objects.filter(deal_id=deal_id, quantity__gt=0).values_list(
            "buyer_id", "quantity"):
        holdings[buyer_id] = holdings.get(buyer_id, 0) + quantity
    sizes = dict(DealAllocation.objects.filter(deal_id=deal_id).values_list("stock_level__variant_id")
                 .annotate(n=Sum("remaining")))
    claimed = 0
    for variant_id, quantity in active.values_list("variant_id").annotate(n=Sum("quantity")):
        sizes[variant_id] = sizes.get(variant_id, 0) - quantity
        claimed += quantity
    ends_at = min(deal.ends_at, deal.ended_early_at) if deal.ended_early_at else deal.ends_at
    waiting = dict(DealWaitlistEntry.objects.filter(deal_id=deal_id, status=WaitlistStatus.WAITING)
                   .values_list("variant_id").annotate(n=Sum("quantity")))
    return gate.DealSnapshot(deal.pk, deal.remaining - claimed, deal.per_buyer_limit, deal.starts_at, ends_at,
                             holdings, sizes, waiting)


def deal_claimable_by_size(deal: FlashDeal) -> tuple[int, list[dict]]:
    """Units a buyer can still claim, in all and per size (sku, size label, units): the gate's counts, or
    (gate away or not seeded) PostgreSQL's. Never more than the units set aside and in no order."""
    set_aside = deal_sizes(deal_id=deal.pk)
    try:
        left, by_size = gate.size_counts(deal_id=deal.pk)
        waiting = gate.waiting_counts(deal_id=deal.pk) if left is not None else {}
    except gate.GateUnavailable:
        left = None
    if left is None:
        snapshot = deal_gate_snapshot(deal_id=deal.pk)
        left, by_size, waiting = snapshot.left, snapshot.sizes, snapshot.waiting
    # Units owed to buyers on the waitlist are not for anyone else.
    left -= sum(waiting.values())
    by_size = {size: units - waiting.get(size, 0) for size, units in by_size.items()}
    sizes = [{"sku": size.sku, "size_label": size.size_label,
              "remaining": max(min(by_size.get(size.variant_id, 0), size.remaining), 0)} for size in set_aside]
    return max(min(left, deal.remaining), 0), sizes


def deals_to_reconcile(*, now: dt.datetime) -> list[int]:
    """Deals whose gate counts still matter: running, about to start, or ended within the hold time."""
    return list(FlashDeal.objects.filter(
        starts_at__lte=now + dt.timedelta(hours=1),
        ends_at__gt=now - dt.timedelta(seconds=settings.LIVEDOCK_CLAIM_HOLD_SECONDS),
    ).values_list("pk", flat=True))


def claim_get(*, buyer_id: int, claim_id: int) -> DealClaim:
    claim = DealClaim.objects.filter(pk=claim_id, buyer_id=buyer_id).select_related("variant").first()
    if claim is None:
        raise NotFound("No such claim of yours.")
    return claim


def claim_for_cart(*, buyer, claim_id: int, variant_id: int) -> DealClaim:
    """One of the buyer's claims, still held, for this size (the checkout converts it atomically)."""
    claim = claim_get(buyer_id=buyer.pk, claim_id=claim_id)
    if claim.variant_id != variant_id:
        raise DealError("The claim is for another size.", fields={"claim": ["Another size."]})
    if claim.status != ClaimStatus.ACTIVE or claim.expires_at <= timezone.now():
        raise ClaimExpired()
    return claim


def waitlist_entry_get(*, buyer_id: int, deal_id: int) -> DealWaitlistEntry:
    """The buyer's latest place on a deal's waitlist (waiting, offered a claim, left or passed over)."""
    entry = (DealWaitlistEntry.objects.filter(deal_id=deal_id, buyer_id=buyer_id)
             .select_related("variant", "claim").order_by("-joined_at", "-id").first())
    if entry is None:
        raise NotFound("You are not on this deal's waitlist.")
    return entry


def waitlist_position(*, entry: DealWaitlistEntry) -> int | None:
    """1 for the next buyer to be offered a unit; None once the entry is no longer waiting."""
    if entry.status != WaitlistStatus.WAITING:
        return None
    ahead = DealWaitlistEntry.objects.filter(deal_id=entry.deal_id, status=WaitlistStatus.WAITING).filter(
        Q(joined_at__lt=entry.joined_at) | Q(joined_at=entry.joined_at, id__lt=entry.pk)).count()
    return ahead + 1
