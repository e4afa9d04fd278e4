from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from config.errors import NotFound

from .models import LiveSession, SessionStatus


def session_list(*, festival_slug: str | None = None, host_handle: str | None = None,
                 include_past: bool = False) -> QuerySet[LiveSession]:
    """Published sessions that are live or still to come (buyers' view)."""
    qs = (LiveSession.objects.filter(is_draft=False, status__in=[SessionStatus.SCHEDULED, SessionStatus.LIVE])
          .select_related("festival", "studio__base", "host"))
    if not include_past:
        qs = qs.filter(ends_at__gte=timezone.now())
    if festival_slug:
        qs = qs.filter(festival__slug=festival_slug)
    if host_handle:
        qs = qs.filter(host__handle=host_handle)
    return qs.order_by("starts_at", "id")


def session_get(*, session_id: int) -> LiveSession:
    session = LiveSession.objects.select_related("festival", "host", "studio__base").filter(
        pk=session_id, is_draft=False).first()
    if session is None:
        raise NotFound("No such session.")
    return session


def deal_for_cart(*, deal_id: int, product_id: int, quantity: int):
    """A running deal on this product, or a clear error (the checkout enforces it again atomically)."""
    from django.db.models import Q

    from .errors import DealError, DealLimitReached, DealNotActive, DealSoldOut
    from .models import FlashDeal

    now = timezone.now()
    deal = FlashDeal.objects.filter(pk=deal_id).select_related("lineup_item").first()
    if deal is None or deal.lineup_item.product_id != product_id:
        raise DealError("That deal is not for this product.", fields={"deal": ["Wrong product."]})
    running = FlashDeal.objects.filter(Q(ended_early_at__isnull=True), pk=deal_id, starts_at__lte=now,
                                       ends_at__gt=now, session__status=SessionStatus.LIVE).exists()
    if not running:
        raise DealNotActive()
    if deal.remaining < quantity:
        raise DealSoldOut()
    if quantity > deal.per_buyer_limit:
        raise DealLimitReached(f"At most {deal.per_buyer_limit} per buyer.")
    return deal


def deals_by_id(*, deal_ids) -> dict:
    from .models import FlashDeal

    return {d.pk: d for d in FlashDeal.objects.filter(pk__in=list(deal_ids)).select_related("lineup_item")}


def session_state(*, session_id: int) -> dict:
    """What a buyer watching the session sees: status, the pinned product, running deals with units
    left. Small and cheap: it is polled and pushed on every change."""
    from django.db.models import Q

    from .models import FlashDeal, PinnedProduct

    session = session_get(session_id=session_id)
    now = timezone.now()
    pin = PinnedProduct.objects.filter(session=session).select_related("lineup_item__product").first()
    deals = (FlashDeal.objects.filter(Q(ended_early_at__isnull=True), session=session, starts_at__lte=now,
                                      ends_at__gt=now)
             .select_related("lineup_item__product").order_by("ends_at", "id"))
    return {
        "session": session.pk,
        "status": session.status,
        "pinned": None if pin is None else {
            "lineup_item": pin.lineup_item_id, "product": pin.lineup_item.product.slug,
            "name": pin.lineup_item.product.name,
            "live_price": {"amount": str(pin.lineup_item.agreed_price), "currency": pin.lineup_item.currency}},
        "deals": [{"id": d.pk, "product": d.lineup_item.product.slug, "name": d.lineup_item.product.name,
                   "price": {"amount": str(d.deal_price), "currency": d.currency}, "remaining": d.remaining,
                   "per_buyer_limit": d.per_buyer_limit, "ends_at": d.ends_at.isoformat()} for d in deals],
    }
