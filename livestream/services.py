"""Live commerce, writes: scheduling sessions (windows checked here, double bookings refused by the
database and reported with the clashing session), lineups, running a session, flash deals and the claims
on them, streaming tools and metrics.

Over 600 lines: every function here changes one live session's aggregate (its deals, claims and lineup
lock against each other in one order). It becomes a package (sessions, lineups, deals, claims) with the
deal work still to come (waitlists).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import F, Q, Sum
from django.utils import timezone

from config.errors import IdempotencyKeyReused, NotFound, ServiceBusy
from shop import selectors as shop_selectors
from shop import services as shop_services
from shop.errors import FxRateUnavailable

from . import autoschedule, gate, realtime, selectors
from .errors import (
    ClaimExpired,
    ClaimInProgress,
    DealError,
    DealLimitReached,
    DealNotActive,
    DealNotSoldOut,
    DealSizeSoldOut,
    DealSoldOut,
    DealStockShort,
    IllegalSessionTransition,
    LineupError,
    NotYourSession,
    OutsideWindow,
    ScheduleConflict,
    UnknownTool,
)
from .models import (
    SESSION_TRANSITIONS,
    ClaimStatus,
    DealAllocation,
    DealClaim,
    DealPurchase,
    DealWaitlistEntry,
    Festival,
    FlashDeal,
    Host,
    HostAvailability,
    LineupItem,
    LineupStatus,
    LiveSession,
    PinnedProduct,
    SessionMetrics,
    SessionRequest,
    SessionStatus,
    StreamingTool,
    Studio,
    ViewReport,
    WaitlistStatus,
)

log = logging.getLogger(__name__)


def _blocks(studio: Studio, host: Host, starts_at: dt.datetime, ends_at: dt.datetime):
    studio_block = DateTimeTZRange(starts_at, ends_at + dt.timedelta(minutes=studio.changeover_minutes), "[)")
    host_block = DateTimeTZRange(starts_at, ends_at + dt.timedelta(minutes=host.rest_minutes), "[)")
    return studio_block, host_block


def _clash(session: LiveSession, studio_block, host_block) -> LiveSession | None:
    others = LiveSession.objects.exclude(pk=session.pk).exclude(status=SessionStatus.CANCELLED)
    return (others.filter(studio=session.studio, studio_block__overlap=studio_block).first()
            or others.filter(host=session.host, host_block__overlap=host_block).first())


def live_session_schedule(*, festival: Festival, studio: Studio, host: Host, title: str,
                          starts_at: dt.datetime, ends_at: dt.datetime, is_draft: bool = False,
                          session: LiveSession | None = None) -> LiveSession:
    """Book (or move) a session. Refused with a clear error when it falls outside the festival or the
    host's availability, is too short or too long, or clashes with another booking of the studio
    (changeover included) or the host (rest gap included)."""
    minutes = (ends_at - starts_at).total_seconds() / 60
    low, high = settings.LIVEDOCK_SESSION_MINUTES
    if not low <= minutes <= high:
        raise OutsideWindow(f"A session lasts {low} to {high} minutes.", fields={"ends_at": [f"{low}-{high} min."]})
    if starts_at < festival.starts_at or ends_at > festival.ends_at:
        raise OutsideWindow(f"The session must fall inside {festival.name} ({festival.starts_at:%Y-%m-%d %H:%M} to "
                            f"{festival.ends_at:%Y-%m-%d %H:%M} UTC).", fields={"starts_at": ["Outside the festival."]})
    if studio.base_id != festival.base_id:
        raise OutsideWindow("That studio belongs to another live base.", fields={"studio": ["Other base."]})
    covered = HostAvailability.objects.filter(host=host, starts_at__lte=starts_at, ends_at__gte=ends_at).exists()
    if not covered:
        raise OutsideWindow(f"@{host.handle} has not declared availability for that time.",
                            fields={"host": ["Not available then."]})
    session = session or LiveSession()
    session.festival, session.studio, session.host, session.title = festival, studio, host, title
    session.starts_at, session.ends_at, session.is_draft = starts_at, ends_at, is_draft
    session.studio_block, session.host_block = _blocks(studio, host, starts_at, ends_at)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        clash = _clash(session, session.studio_block, session.host_block)
        if clash is None:
            raise
        what = "studio" if clash.studio_id == studio.pk else f"host @{host.handle}"
        raise ScheduleConflict(
            f"The {what} is already booked by \"{clash.title}\" ({clash.starts_at:%Y-%m-%d %H:%M}-"
            f"{clash.ends_at:%H:%M} UTC), changeover and rest gaps included.",
            extra={"clashing_session": clash.pk}) from exc
    return session


def live_session_transition(*, session_id: int, to_status: str) -> LiveSession:
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session_id)
        if to_status not in SESSION_TRANSITIONS[session.status]:
            raise IllegalSessionTransition(f"A {session.status} session cannot become {to_status}.")
        session.status = to_status
        now = timezone.now()
        if to_status == SessionStatus.LIVE:
            session.went_live_at = now
        if to_status == SessionStatus.ENDED:
            session.ended_at = now
        session.save(update_fields=["status", "went_live_at", "ended_at"])
        return session


# --- Selecting fair ---------------------------------------------------------------------------------

def own_session(*, host: Host, session_id: int) -> LiveSession:
    return _own_session(host, session_id)


def _own_session(host: Host, session_id: int) -> LiveSession:
    session = LiveSession.objects.filter(pk=session_id, host=host).first()
    if session is None:
        raise NotYourSession()
    return session


@transaction.atomic
def lineup_request(*, host: Host, session_id: int, product_id: int, price: Decimal, currency: str,
                   commission_rate: Decimal, quantity: int) -> LineupItem:
    session = _own_session(host, session_id)
    if session.status in (SessionStatus.ENDED, SessionStatus.CANCELLED):
        raise IllegalSessionTransition("The session is over.")
    if price <= 0 or not Decimal(0) <= commission_rate <= Decimal("0.8") or quantity < 1:
        raise DealError("Price must be positive, commission 0-80%, quantity at least 1.",
                        fields={"price": ["> 0"], "commission_rate": ["0-0.8"], "quantity": [">= 1"]})
    product = shop_selectors.product_for_lineup(product_id=product_id)
    try:
        with transaction.atomic():
            return LineupItem.objects.create(session=session, product=product, currency=currency.upper(),
                                             proposed_price=price, proposed_commission_rate=commission_rate,
                                             quantity=quantity)
    except IntegrityError as exc:
        raise LineupError("That product is already in this session's lineup.") from exc


@transaction.atomic
def lineup_decide(*, manufacturer_id: int | None, item_id: int, action: str, counter_price: Decimal | None = None,
                  counter_commission_rate: Decimal | None = None) -> LineupItem:
    """The manufacturer (or an operator, manufacturer_id None) approves, counters or rejects."""
    item = LineupItem.objects.select_for_update().select_related("product").get(pk=item_id)
    if manufacturer_id is not None and item.product.manufacturer_id != manufacturer_id:
        raise LineupError("Not your product.")
    if item.status not in (LineupStatus.REQUESTED, LineupStatus.COUNTERED):
        raise LineupError(f"The item is already {item.status}.")
    item.decided_at = timezone.now()
    if action == "approve":
        item.status, item.agreed_price = LineupStatus.APPROVED, item.proposed_price
        item.agreed_commission_rate = item.proposed_commission_rate
    elif action == "reject":
        item.status = LineupStatus.REJECTED
    elif action == "counter":
        if counter_price is None or counter_commission_rate is None:
            raise DealError("A counter-offer names a price and a commission.")
        item.status, item.counter_price, item.counter_commission_rate = (
            LineupStatus.COUNTERED, counter_price, counter_commission_rate)
    else:
        raise DealError(f"Unknown action {action!r}.")
    item.save()
    return item


@transaction.atomic
def lineup_accept_counter(*, host: Host, item_id: int) -> LineupItem:
    item = LineupItem.objects.select_for_update().filter(pk=item_id, session__host=host).first()
    if item is None:
        raise NotYourSession("No such lineup item of yours.")
    if item.status != LineupStatus.COUNTERED:
        raise LineupError("Only a countered item can be accepted.")
    item.status, item.agreed_price = LineupStatus.APPROVED, item.counter_price
    item.agreed_commission_rate, item.decided_at = item.counter_commission_rate, timezone.now()
    item.save()
    return item


# --- Running a session -----------------------------------------------------------------------------

@transaction.atomic
def session_go_live(*, host: Host, session_id: int) -> LiveSession:
    _own_session(host, session_id)
    session = live_session_transition(session_id=session_id, to_status=SessionStatus.LIVE)
    realtime.publish_state(session.pk)
    return session


@transaction.atomic
def session_end(*, host: Host, session_id: int) -> LiveSession:
    """End the session and its running or announced deals; their set-aside units go back to free stock."""
    _own_session(host, session_id)
    session = live_session_transition(session_id=session_id, to_status=SessionStatus.ENDED)
    now = timezone.now()
    # The deals' rows are locked in id order, the order every checkout takes them in.
    running = FlashDeal.objects.select_for_update().filter(session=session, ended_early_at__isnull=True,
                                                           ends_at__gt=now)
    ended = list(running.order_by("pk").values_list("pk", flat=True))
    FlashDeal.objects.filter(pk__in=ended).update(ended_early_at=now)
    for deal_id in _deals_unsettled(Q(deal__session=session)):
        deal_stock_settle(deal_id=deal_id, now=now)
    for deal_id in ended:
        transaction.on_commit(partial(_gate_seed_quietly, deal_id, reset=True))
    realtime.publish_state(session.pk)
    return session


def _live(host: Host, session_id: int) -> LiveSession:
    session = _own_session(host, session_id)
    if session.status != SessionStatus.LIVE:
        raise IllegalSessionTransition("Go live first; the session is " + session.status + ".")
    return session


def _approved_item(session: LiveSession, item_id: int) -> LineupItem:
    item = LineupItem.objects.filter(pk=item_id, session=session).select_related("product").first()
    if item is None or item.status != LineupStatus.APPROVED:
        raise DealError("Only an approved product of this session's lineup can be used.",
                        fields={"lineup_item": ["Not approved in this lineup."]})
    return item


@transaction.atomic
def product_pin(*, host: Host, session_id: int, lineup_item_id: int) -> PinnedProduct:
    session = _live(host, session_id)
    pin = PinnedProduct.objects.create(session=session, lineup_item=_approved_item(session, lineup_item_id))
    realtime.publish_state(session.pk)
    return pin


def deal_cap_spread(*, cap: int, free: dict[int, int]) -> dict[int, int]:
    """A deal's cap spread over sizes in proportion to their free units, by largest remainder (a tie goes to
    the size with more free units, then to the lower variant id). With cap <= the free units in all, no
    size gets more than it has free. Returns variant id -> units, sizes with none left out."""
    total = sum(free.values())
    shares = {variant_id: cap * units // total for variant_id, units in free.items()}
    left_over = cap - sum(shares.values())
    by_remainder = sorted(free, key=lambda v: (-(cap * free[v] % total), -free[v], v))
    for variant_id in by_remainder[:left_over]:
        shares[variant_id] += 1
    return {variant_id: units for variant_id, units in shares.items() if units}


def _deal_sizes_planned(*, quantity_cap: int, sizes: dict[str, int] | None, skus: dict[int, str],
                        free: dict[int, int], problems: dict) -> dict[int, int]:
    """Units to set aside per size (variant id): the host's, or the cap spread by free stock."""
    if sizes is None:
        return deal_cap_spread(cap=quantity_cap, free=free) if 1 <= quantity_cap <= sum(free.values()) else {}
    by_sku = {sku: variant_id for variant_id, sku in skus.items()}
    unknown = {sku: ["Not a size of this product."] for sku in sizes if sku not in by_sku}
    unknown |= {sku: ["At least 1."] for sku, units in sizes.items() if sku in by_sku and units < 1}
    if unknown:
        problems["sizes"] = unknown
    elif sum(sizes.values()) != quantity_cap:
        problems["sizes"] = [f"The sizes add up to {sum(sizes.values())}, the cap is {quantity_cap}."]
    return {by_sku[sku]: units for sku, units in sizes.items() if sku in by_sku}


def _deal_stock_set_aside(deal: FlashDeal, plan: dict[int, int], skus: dict[int, str]) -> None:
    """Set the planned units aside as allocation rows: per size, from its warehouses in the order every
    checkout takes them (the manufacturer's default warehouse first), with the checkout's own locking
    statement (`stock_take`), so launches and checkouts never deadlock. A size another buyer emptied since
    the plan was made refuses the launch (the caller's transaction rolls every row back)."""
    candidates = shop_selectors.stock_candidates(variant_ids=sorted(plan))
    rows = []
    took: dict[int, int] = {}
    for variant_id in sorted(plan):
        wanted = plan[variant_id]
        for level in candidates.get(variant_id, []):
            if not wanted:
                break
            taken = shop_services.stock_take(stock_level_id=level.pk, wanted=wanted)
            if taken:
                rows.append(DealAllocation(deal=deal, stock_level_id=level.pk, quantity=taken, remaining=taken))
                took[variant_id] = took.get(variant_id, 0) + taken
                wanted -= taken
        if wanted:
            # Free as committed now: what this launch took goes back with its rollback.
            free = shop_selectors.free_units(variant_ids=skus)
            raise DealStockShort(f"{skus[variant_id]} was sold meanwhile: {plan[variant_id] - wanted} of "
                                 f"{plan[variant_id]} units are free now. Launch again.",
                                 fields={"sizes": {skus[variant_id]: ["Not enough free stock."]}},
                                 extra={"free_by_size": {sku: free.get(v, 0) + took.get(v, 0)
                                                         for v, sku in skus.items()}})
    DealAllocation.objects.bulk_create(rows)


@transaction.atomic
def deal_launch(*, host: Host, session_id: int, lineup_item_id: int, deal_price: Decimal, quantity_cap: int,
                per_buyer_limit: int, duration_minutes: int, starts_at: dt.datetime | None = None,
                sizes: dict[str, int] | None = None) -> FlashDeal:
    """A host launches a deal on an approved lineup product of their live session, priced at most the agreed
    live price, inside the session (see `_deal_open` for the units)."""
    session = _live(host, session_id)
    item = _approved_item(session, lineup_item_id)
    now = timezone.now()
    starts_at = starts_at or now
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    problems: dict[str, list[str]] = {}
    if deal_price <= 0 or deal_price > item.agreed_price:
        problems["deal_price"] = [f"Between 0 and the agreed live price {item.agreed_price} {item.currency}."]
    if not 1 <= duration_minutes <= 240:
        problems["duration_minutes"] = ["1 to 240 minutes."]
    if starts_at < now - dt.timedelta(minutes=1) or ends_at > session.ends_at + dt.timedelta(hours=1):
        problems["starts_at"] = ["Inside the session."]
    return _deal_open(FlashDeal(session=session, lineup_item=item, product=item.product, currency=item.currency,
                                deal_price=deal_price, quantity_cap=quantity_cap, per_buyer_limit=per_buyer_limit,
                                starts_at=starts_at, ends_at=ends_at),
                      list_price=shop_selectors.product_list_price(product=item.product, currency=item.currency),
                      sizes=sizes, problems=problems)


FLASH_SALE_MAX_MINUTES = 14 * 24 * 60  # a storefront flash sale runs two weeks at most
FLASH_SALE_ANNOUNCE_DAYS = 30  # and is announced at most this far ahead


@transaction.atomic
def flash_sale_launch(*, product_slug: str, currency: str, deal_price: Decimal, quantity_cap: int,
                      per_buyer_limit: int, duration_minutes: int, starts_at: dt.datetime | None = None,
                      sizes: dict[str, int] | None = None) -> FlashDeal:
    """An operator puts a product on a flash sale in the storefront: a deal with no live session and no host
    (so no commission), claimed, ring-fenced and checked out exactly like a live one. Priced in any currency
    the product has a list price in (its own or converted), at most that price."""
    product = shop_selectors.product_by_slug(slug=product_slug)
    now = timezone.now()
    starts_at = starts_at or now
    problems: dict[str, list[str]] = {}
    if deal_price <= 0:
        problems["deal_price"] = ["More than 0."]
    try:
        list_price = shop_selectors.product_list_price(product=product, currency=currency)
    except FxRateUnavailable:
        list_price = None
    if list_price is None:
        problems["currency"] = [f"The product has no price in {currency}."]
    if not 1 <= duration_minutes <= FLASH_SALE_MAX_MINUTES:
        problems["duration_minutes"] = [f"1 to {FLASH_SALE_MAX_MINUTES} minutes."]
    if not now - dt.timedelta(minutes=1) <= starts_at <= now + dt.timedelta(days=FLASH_SALE_ANNOUNCE_DAYS):
        problems["starts_at"] = [f"From now to {FLASH_SALE_ANNOUNCE_DAYS} days ahead."]
    return _deal_open(FlashDeal(product=product, currency=currency, deal_price=deal_price,
                                quantity_cap=quantity_cap, per_buyer_limit=per_buyer_limit, starts_at=starts_at,
                                ends_at=starts_at + dt.timedelta(minutes=duration_minutes)),
                      list_price=list_price, sizes=sizes, problems=problems)


def _deal_open(deal: FlashDeal, *, list_price: Decimal | None, sizes: dict[str, int] | None,
               problems: dict[str, list[str]]) -> FlashDeal:
    """Save a new deal and set its cap aside from free stock, per size and warehouse (DealAllocation rows,
    counted in the stock rows' `reserved`). `sizes` (SKU -> units, adding up to the cap) says how many of
    each size; without it the cap is spread over sizes by their free units (`deal_cap_spread`). Refused
    (400 deal_invalid with the caller's `problems`, or 409 deal_stock_short) when the deal is not valid or
    free stock cannot cover it: set-aside units of other deals and units of open orders are not free."""
    if "deal_price" not in problems and list_price is not None and deal.deal_price > list_price:
        problems["deal_price"] = [f"Not above the list price {list_price} {deal.currency}."]
    if deal.quantity_cap < 1:
        problems["quantity_cap"] = ["At least 1."]
    if deal.per_buyer_limit < 1:
        problems["per_buyer_limit"] = ["At least 1."]
    skus = shop_selectors.product_skus(product=deal.product)
    free = {variant_id: units for variant_id, units in shop_selectors.free_units(variant_ids=skus).items() if units}
    plan = _deal_sizes_planned(quantity_cap=deal.quantity_cap, sizes=sizes, skus=skus, free=free, problems=problems)
    if problems:
        raise DealError("The deal is not valid.", fields=problems)
    free_by_size = {sku: free.get(variant_id, 0) for variant_id, sku in skus.items()}
    short = {skus[v]: [f"{free.get(v, 0)} free."] for v, units in plan.items() if units > free.get(v, 0)}
    if short:
        raise DealStockShort("Some sizes have too few free units for this deal.", fields={"sizes": short},
                             extra={"free_by_size": free_by_size})
    if sum(free.values()) < deal.quantity_cap:
        raise DealStockShort(f"Only {sum(free.values())} units are free to set aside for this deal (units of open "
                             f"orders and of other deals are not).",
                             fields={"quantity_cap": [f"At most {sum(free.values())}."]},
                             extra={"free_by_size": free_by_size})
    deal.remaining = deal.quantity_cap
    deal.save(force_insert=True)
    _deal_stock_set_aside(deal, plan, skus)
    transaction.on_commit(lambda: _gate_seed_quietly(deal.pk, reset=False))
    realtime.publish_state(deal.session_id)
    return deal


@transaction.atomic
def deal_end(*, host: Host, deal_id: int) -> FlashDeal:
    """A host ends a deal of their session early (see `_deal_close`)."""
    return _deal_close(FlashDeal.objects.filter(pk=deal_id, session__host=host),
                       missing=NotYourSession("No such deal of yours."))  # another host's: as if it did not exist


@transaction.atomic
def flash_sale_end(*, deal_id: int) -> FlashDeal:
    """An operator ends a storefront flash sale early (a live session's deals are its host's to end)."""
    return _deal_close(FlashDeal.objects.filter(pk=deal_id, session__isnull=True),
                       missing=NotFound("No such flash sale."))


def _deal_close(deals, *, missing: Exception) -> FlashDeal:
    """End a deal early: claims are refused from now, and its set-aside units not in an order (nor held by
    a claim that may still be ordered) go back to free stock."""
    if not deals.filter(ended_early_at__isnull=True).update(ended_early_at=timezone.now()):
        if not deals.exists():
            raise missing
        raise DealNotActive("This deal has already ended.")
    deal = deals.get()
    deal_stock_settle(deal_id=deal.pk)
    deal.refresh_from_db()
    transaction.on_commit(lambda: _gate_seed_quietly(deal.pk, reset=True))  # the gate refuses claims from now
    realtime.publish_state(deal.session_id)
    return deal


def _running(now: dt.datetime) -> Q:
    # Columns of the deal row only: a join would turn the conditional UPDATE into "id IN (subquery)",
    # whose condition PostgreSQL does not re-check after waiting for the row lock. Ending a session
    # ends its deals (session_end), so the session's state needs no join here.
    return Q(starts_at__lte=now, ends_at__gt=now, ended_early_at__isnull=True)


_PURCHASE_TABLE = DealPurchase._meta.db_table
_BUYER_TAKE_SQL = f"""
INSERT INTO {_PURCHASE_TABLE} (deal_id, buyer_id, quantity) VALUES (%(deal)s, %(buyer)s, %(n)s)
ON CONFLICT (deal_id, buyer_id) DO UPDATE SET quantity = {_PURCHASE_TABLE}.quantity + EXCLUDED.quantity
WHERE {_PURCHASE_TABLE}.quantity + EXCLUDED.quantity <= %(limit)s
RETURNING quantity
"""  # noqa: S608 - the table name comes from the model

_ALLOCATION_TABLE = DealAllocation._meta.db_table
# The shape of shop's stock take: the row is locked and read at its latest committed value, and gives up
# to what was asked for.
_ALLOCATION_TAKE_SQL = f"""
WITH current AS (
    SELECT id, LEAST(%(wanted)s, remaining) AS take
    FROM {_ALLOCATION_TABLE} WHERE id = %(id)s AND remaining > 0 FOR UPDATE
)
UPDATE {_ALLOCATION_TABLE} AS a SET remaining = a.remaining - current.take
FROM current WHERE a.id = current.id AND current.take > 0
RETURNING a.stock_level_id, current.take
"""  # noqa: S608 - the table name comes from the model


@dataclass(frozen=True)
class DealUnits:
    """What a deal order took: the deal, and its units per stock row, out of the deal's set-aside units
    (already reserved in those rows: the order keeps them reserved)."""

    deal: FlashDeal
    taken: list[tuple[int, int]]  # (stock level id, units)


def _allocation_take(*, deal_id: int, variant_id: int, quantity: int) -> list[tuple[int, int]]:
    """Units of one size out of the deal's allocation rows, in the order they were set aside (the order a
    checkout takes warehouses), splitting across warehouses only when one has too few."""
    taken: list[tuple[int, int]] = []
    wanted = quantity
    rows = DealAllocation.objects.filter(deal_id=deal_id, stock_level__variant_id=variant_id, remaining__gt=0)
    for allocation_id in rows.order_by("pk").values_list("pk", flat=True):
        with connection.cursor() as cursor:
            cursor.execute(_ALLOCATION_TAKE_SQL, {"wanted": wanted, "id": allocation_id})
            row = cursor.fetchone()
        if row:
            taken.append((row[0], row[1]))
            wanted -= row[1]
        if not wanted:
            return taken
    raise DealSizeSoldOut()


def _deal_units_take(*, deal_id: int, buyer_id: int, variant_id: int, quantity: int, product_id: int,
                     now: dt.datetime, ended_ok: bool = False) -> DealUnits:
    """The database's guards on a deal's units, inside the caller's transaction: the buyer's allowance (an
    upsert guarded by WHERE), the deal's units (a conditional decrement under a check constraint) and the
    size's set-aside units (the same, per allocation row). Locks: the deal's row, then its allocation rows.
    A claim made while the deal ran may be ordered after it ended (`ended_ok`)."""
    deal = FlashDeal.objects.filter(pk=deal_id, product_id=product_id).first()
    if deal is None:
        raise DealError("That deal is not for this product.", fields={"deal": ["Wrong product."]})
    if quantity > deal.per_buyer_limit:
        raise DealLimitReached(f"At most {deal.per_buyer_limit} per buyer.")
    with connection.cursor() as cursor:
        cursor.execute(_BUYER_TAKE_SQL, {"deal": deal_id, "buyer": buyer_id, "n": quantity,
                                         "limit": deal.per_buyer_limit})
        if cursor.fetchone() is None:
            raise DealLimitReached(f"At most {deal.per_buyer_limit} per buyer in this deal.")
    window = Q() if ended_ok else _running(now)
    taken = FlashDeal.objects.filter(window, pk=deal_id, remaining__gte=quantity).update(
        remaining=F("remaining") - quantity)
    if not taken:
        if not FlashDeal.objects.filter(window, pk=deal_id).exists():
            raise DealNotActive()
        raise DealSoldOut()
    units = DealUnits(deal, _allocation_take(deal_id=deal_id, variant_id=variant_id, quantity=quantity))
    # Units left changed: sent once the order commits, coalesced with the storm's other changes (a state read
    # per order would cost the checkout as much again).
    realtime.publish_state_soon(deal.session_id)
    return units


class GateAdmissions:
    """Units a transaction took through the claim gate. The gate is outside PostgreSQL: if that
    transaction does not commit (an error, a dropped connection at COMMIT), the caller gives them back,
    so the buyer's retry is admitted again rather than refused for a unit nobody holds."""

    def __init__(self) -> None:
        self._taken: list[tuple[int, int, int, int]] = []

    def add(self, deal_id: int, buyer_id: int, variant_id: int, quantity: int) -> None:
        self._taken.append((deal_id, buyer_id, variant_id, quantity))

    def give_back(self) -> None:
        taken, self._taken = self._taken, []
        for deal_id, buyer_id, variant_id, quantity in taken:
            _gate_release_quietly(deal_id, buyer_id, variant_id, quantity)


def deal_take(*, deal_id: int, buyer_id: int, variant_id: int, quantity: int, product_id: int,
              admissions: GateAdmissions) -> DealUnits:
    """Inside the caller's transaction: take units of one size from a running deal for one buyer without a
    claim first (a deal line put straight into the cart): through the gate, then the database's guards.
    Neither the cap, the size's set-aside units nor the per-buyer limit can be beaten by concurrent
    requests. What the gate admitted is added to `admissions`, for the caller to give back if its
    transaction does not commit."""
    now = timezone.now()
    deal = FlashDeal.objects.filter(pk=deal_id, product_id=product_id).first()
    if deal is None:
        raise DealError("That deal is not for this product.", fields={"deal": ["Wrong product."]})
    try:
        answer = _gate_take(deal, buyer_id, variant_id, quantity, now, "")
    except gate.GateUnavailable:
        answer = None  # the database's guards below decide alone
    if answer is not None and answer.outcome != "ok":
        raise _GATE_REFUSALS.get(answer.outcome, lambda deal: DealSoldOut())(deal)
    if answer is not None:
        admissions.add(deal_id, buyer_id, variant_id, quantity)
    return _deal_units_take(deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity,
                            product_id=product_id, now=now)


def deal_release(*, deal_id: int, buyer_id: int, variant_id: int, stock_level_id: int, quantity: int) -> bool:
    """An unpaid deal order expired or was cancelled: the buyer's allowance comes back, and while the deal
    runs its units go back to the deal, its allocation row and its gate (they stay reserved in the stock
    row, set aside again). True when they did; False when the deal is over: the caller releases them to
    free stock. The deal's row lock decides between the two against a deal ending at the same moment."""
    DealPurchase.objects.filter(deal_id=deal_id, buyer_id=buyer_id, quantity__gte=quantity).update(
        quantity=F("quantity") - quantity)
    allocation_id = DealAllocation.objects.filter(deal_id=deal_id, stock_level_id=stock_level_id).values_list(
        "pk", flat=True).first()
    if allocation_id is None:  # an order of a deal launched before deals set stock aside
        return False
    returned = FlashDeal.objects.filter(pk=deal_id, ends_at__gt=timezone.now(), ended_early_at__isnull=True,
                                        remaining__lte=F("quantity_cap") - quantity)
    if not returned.update(remaining=F("remaining") + quantity):
        return False
    DealAllocation.objects.filter(pk=allocation_id).update(remaining=F("remaining") + quantity)
    def give_back() -> None:
        _gate_release_quietly(deal_id, buyer_id, variant_id, quantity)
        waitlist_serve(deal_id=deal_id)

    transaction.on_commit(give_back)
    realtime.publish_state_soon(FlashDeal.objects.values_list("session_id", flat=True).get(pk=deal_id))
    return True


def _deals_unsettled(condition: Q) -> list[int]:
    """Deals that still set units aside, among those the allocation-row `condition` picks (a partial index
    keeps the rows with units left to the few deals of the moment)."""
    rows = DealAllocation.objects.filter(condition, remaining__gt=0)
    return sorted(set(rows.values_list("deal_id", flat=True)))


def deal_stock_settle(*, deal_id: int, now: dt.datetime | None = None) -> int:
    """A deal that is over (ended early, or its window passed) gives its set-aside units back to free
    stock: each allocation row's `remaining` moves to `returned` and leaves the stock row's `reserved`.
    Units held by claims that may still be ordered (active, not expired) stay set aside until those are
    ordered or expire; a later run gives them back. Locks the deal's row first (as every deal order and
    release does), then its allocation rows, then stock rows, so each unit goes to an order or back to
    stock, never both, and a run repeated gives nothing twice. Returns the units given back."""
    now = now or timezone.now()
    with transaction.atomic():
        deal = FlashDeal.objects.select_for_update().filter(pk=deal_id).first()
        if deal is None or (deal.ended_early_at is None and deal.ends_at > now):
            return 0
        held = dict(DealClaim.objects.filter(deal_id=deal_id, status=ClaimStatus.ACTIVE, expires_at__gt=now)
                    .values_list("variant_id").annotate(n=Sum("quantity")))
        rows = (DealAllocation.objects.select_for_update(of=("self",)).filter(deal_id=deal_id, remaining__gt=0)
                .order_by("pk").values_list("pk", "stock_level_id", "stock_level__variant_id", "remaining"))
        given = kept = 0
        for allocation_id, stock_level_id, variant_id, remaining in rows:
            keep = min(remaining, held.get(variant_id, 0))
            held[variant_id] = held.get(variant_id, 0) - keep
            kept += keep
            if remaining == keep:
                continue
            DealAllocation.objects.filter(pk=allocation_id).update(
                remaining=F("remaining") - (remaining - keep), returned=F("returned") + (remaining - keep))
            if not shop_services.stock_release(stock_level_id=stock_level_id, quantity=remaining - keep):
                raise RuntimeError(f"Stock row {stock_level_id} reserves fewer units than deal {deal_id} sets "
                                   f"aside there.")  # rolls back: nothing moves until someone looks
            given += remaining - keep
        if deal.remaining != kept:  # the deal's units are what its allocation rows still set aside
            FlashDeal.objects.filter(pk=deal_id).update(remaining=kept)
    if given:
        log.info("deal %s is over: %s set-aside units went back to free stock", deal_id, given)
    return given


def deals_settle_due(*, now: dt.datetime | None = None) -> int:
    """Beat: every deal that is over and still sets units aside is settled (deal_stock_settle), each in its
    own transaction: the window passed, a claim kept at the end expired, or an order of the deal was
    given back in the moment it ended. Returns the units given back."""
    now = now or timezone.now()
    due = _deals_unsettled(Q(deal__ends_at__lte=now) | Q(deal__ended_early_at__isnull=False))
    return sum(deal_stock_settle(deal_id=deal_id, now=now) for deal_id in due)


# --- Metrics ---------------------------------------------------------------------------------------

def streaming_tool_create(*, host: Host, name: str) -> tuple[StreamingTool, str]:
    """A new tool token for a host; the token is returned once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    tool = StreamingTool.objects.create(host=host, name=name, token_sha256=hashlib.sha256(token.encode()).hexdigest())
    return tool, token


def views_report(*, token: str, session_id: int, views: int, concurrent_viewers: int = 0) -> ViewReport:
    tool = StreamingTool.objects.filter(token_sha256=hashlib.sha256(token.encode()).hexdigest(),
                                        is_active=True).select_related("host").first()
    if tool is None:
        raise UnknownTool()
    session = LiveSession.objects.filter(pk=session_id, host=tool.host).first()
    if session is None:
        raise NotYourSession("This tool's host has no such session.")
    if session.status not in (SessionStatus.LIVE, SessionStatus.ENDED):
        raise IllegalSessionTransition("Views are reported for live or ended sessions only.")
    return ViewReport.objects.create(session=session, tool=tool, views=views, concurrent_viewers=concurrent_viewers)


def session_metrics_save(*, session_id: int, values: dict) -> SessionMetrics:
    metrics, _ = SessionMetrics.objects.update_or_create(session_id=session_id, defaults=values)
    return metrics


# --- Auto-scheduling -------------------------------------------------------------------------------

def festival_auto_schedule(*, festival_id: int, seconds: float = 5.0) -> dict:
    """Replace the festival's drafts with the solver's proposal (bounded in time); every request is
    either placed as a draft session or told why not. Published sessions are kept as they are."""
    festival = Festival.objects.get(pk=festival_id)
    with transaction.atomic():
        SessionRequest.objects.filter(festival=festival).update(placed_session=None, unplaced_reason="")
        LiveSession.objects.filter(festival=festival, is_draft=True).delete()
    requests = list(SessionRequest.objects.filter(festival=festival).select_related("host"))
    studios = {s.pk: s.changeover_minutes for s in Studio.objects.filter(base_id=festival.base_id)}
    hosts = {r.host_id: r.host for r in requests}
    availability = {host_id: [(a.starts_at, a.ends_at) for a in HostAvailability.objects.filter(host_id=host_id)]
                    for host_id in hosts}
    booked = [autoschedule.Booked(s.studio_id, s.host_id, (s.studio_block.lower, s.studio_block.upper),
                                  (s.host_block.lower, s.host_block.upper))
              for s in LiveSession.objects.exclude(status=SessionStatus.CANCELLED).filter(
                  ends_at__gt=festival.starts_at, starts_at__lt=festival.ends_at)]
    result = autoschedule.solve(
        festival_start=festival.starts_at, festival_end=festival.ends_at, studios=studios,
        host_rest={h.pk: h.rest_minutes for h in hosts.values()}, availability=availability,
        requests=[autoschedule.Request(r.pk, r.host_id, r.manufacturer_id, r.duration_minutes,
                                       tuple((dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b))
                                             for a, b in r.wished_windows), r.target_market) for r in requests],
        booked=booked, seconds=seconds)
    studio_objs = {s.pk: s for s in Studio.objects.filter(pk__in=studios)}
    with transaction.atomic():
        for request in requests:
            if request.pk in result.placed:
                studio_id, begin, end = result.placed[request.pk]
                session = live_session_schedule(festival=festival, studio=studio_objs[studio_id], host=request.host,
                                                title=request.title, starts_at=begin, ends_at=end, is_draft=True)
                request.placed_session, request.unplaced_reason = session, ""
            else:
                request.placed_session, request.unplaced_reason = None, result.unplaced.get(request.pk, "")
            request.save(update_fields=["placed_session", "unplaced_reason"])
    return {"status": result.status, "placed": len(result.placed), "unplaced": result.unplaced}


@transaction.atomic
def festival_publish_drafts(*, festival_id: int) -> int:
    return LiveSession.objects.filter(festival_id=festival_id, is_draft=True).update(is_draft=False)


# --- Claims: the fast path of a live deal -----------------------------------------------------------

@dataclass(frozen=True)
class ClaimResult:
    claim: DealClaim
    replayed: bool


_GATE_REFUSALS = {
    "not_started": lambda deal: DealNotActive("The deal has not started yet.",
                                              extra={"starts_at": deal.starts_at.isoformat()}),
    "ended": lambda deal: DealNotActive(),
    "limit": lambda deal: DealLimitReached(f"At most {deal.per_buyer_limit} per buyer in this deal."),
    "sold_out": lambda deal: DealSoldOut(),
    "size_sold_out": lambda deal: DealSizeSoldOut(),
}
_fallback_slots = threading.BoundedSemaphore(settings.LIVEDOCK_CLAIM_DB_FALLBACK_CONCURRENCY)


def _claim_checked(*, deal_id: int, product_id: int, quantity: int) -> selectors.DealFacts:
    deal = selectors.deal_facts(deal_id=deal_id)
    if deal is None:
        raise NotFound("No such deal.")
    if product_id != deal.product_id:
        raise DealError("That size is not of this deal's product.", fields={"sku": ["Not in this deal."]})
    if quantity < 1:  # above the per-buyer limit is the gate's answer (after a repeated key is recognised)
        raise DealError("Claim at least one unit.", fields={"quantity": ["At least 1."]})
    return deal


def _gate_take(deal, buyer_id: int, variant_id: int, quantity: int, now: dt.datetime,
               marker: str, waitlist: bool = False) -> gate.GateAnswer:
    answer = gate.take(deal_id=deal.pk, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity, now=now,
                       marker=marker, waitlist=waitlist)
    if answer.outcome == "unseeded":  # launched before the gate existed, or Redis lost its keys: rebuild
        gate.seed(selectors.deal_gate_snapshot(deal_id=deal.pk))
        answer = gate.take(deal_id=deal.pk, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity,
                           now=now, marker=marker, waitlist=waitlist)
    return answer


def deal_claim(*, buyer_id: int, deal_id: int, variant_id: int, product_id: int, quantity: int,
               idempotency_key: str = "") -> ClaimResult:
    """Tap "buy" on a live deal: take units and the buyer's allowance in one gate round trip, record the
    claim, and hold it for checkout for LIVEDOCK_CLAIM_HOLD_SECONDS. A repeat with the same key returns
    the first claim. Sold out (in all or in this size), over the limit, not started or ended: a 409, and
    nothing is held.
    Kept to two round trips (the gate, one INSERT) on the way in: it is the hottest path of a sale."""
    deal = _claim_checked(deal_id=deal_id, product_id=product_id, quantity=quantity)
    now = timezone.now()
    marker = f"{buyer_id}:{idempotency_key}" if idempotency_key else ""
    try:
        answer = _gate_take(deal, buyer_id, variant_id, quantity, now, marker)
    except gate.GateUnavailable:
        return _deal_claim_without_gate(buyer_id=buyer_id, deal_id=deal_id, variant_id=variant_id,
                                        quantity=quantity, idempotency_key=idempotency_key, now=now)
    if answer.outcome == "duplicate":  # this key claimed before (or right now, in a parallel request)
        return _claim_replayed(buyer_id, idempotency_key, deal_id, variant_id, quantity)
    if answer.outcome != "ok":
        raise _GATE_REFUSALS[answer.outcome](deal)
    try:
        # One INSERT is atomic by itself; outside a transaction it is sent alone (no BEGIN/COMMIT round trips),
        # inside the caller's it takes a savepoint so a duplicate key leaves the caller's transaction usable.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            claim = DealClaim.objects.create(
                deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity,
                idempotency_key=idempotency_key,
                expires_at=now + dt.timedelta(seconds=settings.LIVEDOCK_CLAIM_HOLD_SECONDS))
    except IntegrityError:  # the key was claimed before the gate last lost its memory: the same answer
        _gate_release_quietly(deal_id, buyer_id, variant_id, quantity)
        return _claim_replayed(buyer_id, idempotency_key, deal_id, variant_id, quantity)
    except BaseException:
        _gate_release_quietly(deal_id, buyer_id, variant_id, quantity, marker)  # nothing recorded: give it back
        raise
    realtime.publish_state_soon(deal.session_id)
    return ClaimResult(claim, False)


def _claim_replayed(buyer_id: int, idempotency_key: str, deal_id: int, variant_id: int, quantity: int) -> ClaimResult:
    earlier = DealClaim.objects.filter(buyer_id=buyer_id, idempotency_key=idempotency_key).first()
    if earlier is None:
        raise ClaimInProgress()
    return ClaimResult(_same_claim(earlier, deal_id, variant_id, quantity), True)


def _same_claim(claim: DealClaim, deal_id: int, variant_id: int, quantity: int) -> DealClaim:
    if (claim.deal_id, claim.variant_id, claim.quantity) != (deal_id, variant_id, quantity):
        raise IdempotencyKeyReused(fields={"Idempotency-Key": ["Used before with another request."]})
    return claim


@transaction.atomic
def _deal_claim_in_database(*, buyer_id: int, deal_id: int, variant_id: int, quantity: int, idempotency_key: str,
                            now: dt.datetime) -> DealClaim:
    # The deal's row lock serialises claims made this way; the order's conditional update stays the guard.
    deal = FlashDeal.objects.select_for_update().get(pk=deal_id)
    if now < deal.starts_at:
        raise _GATE_REFUSALS["not_started"](deal)
    if now >= deal.ends_at or deal.ended_early_at is not None:
        raise _GATE_REFUSALS["ended"](deal)
    snapshot = selectors.deal_gate_snapshot(deal_id=deal.pk)
    if snapshot.holdings.get(buyer_id, 0) + quantity > deal.per_buyer_limit:
        raise _GATE_REFUSALS["limit"](deal)
    if snapshot.left - sum(snapshot.waiting.values()) < quantity:  # units owed to the waitlist are not for others
        raise _GATE_REFUSALS["sold_out"](deal)
    if snapshot.sizes.get(variant_id, 0) - snapshot.waiting.get(variant_id, 0) < quantity:
        raise _GATE_REFUSALS["size_sold_out"](deal)
    return DealClaim.objects.create(deal=deal, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity,
                                    idempotency_key=idempotency_key,
                                    expires_at=now + dt.timedelta(seconds=settings.LIVEDOCK_CLAIM_HOLD_SECONDS))


def _deal_claim_without_gate(*, buyer_id: int, deal_id: int, variant_id: int, quantity: int, idempotency_key: str,
                             now: dt.datetime) -> ClaimResult:
    """Redis is away: claim through PostgreSQL, a few at a time per process; beyond that, 503 Retry-After
    rather than a queue that grows until requests time out."""
    if idempotency_key:
        earlier = DealClaim.objects.filter(buyer_id=buyer_id, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return ClaimResult(_same_claim(earlier, deal_id, variant_id, quantity), True)
    if not _fallback_slots.acquire(timeout=0.25):
        raise ServiceBusy("Too many buyers at once; retry in a moment.", extra={"retry_after_seconds": 2})
    try:
        claim = _deal_claim_in_database(buyer_id=buyer_id, deal_id=deal_id, variant_id=variant_id,
                                        quantity=quantity, idempotency_key=idempotency_key, now=now)
    finally:
        _fallback_slots.release()
    log.warning("claim gate unavailable: claim %s of deal %s made through the database", claim.pk, deal_id)
    return ClaimResult(claim, False)


def _gate_seed_quietly(deal_id: int, *, reset: bool) -> None:
    try:
        gate.seed(selectors.deal_gate_snapshot(deal_id=deal_id), reset=reset)
    except gate.GateUnavailable:
        log.warning("claim gate unavailable: deal %s is seeded on its first claim", deal_id)


def _gate_release_quietly(deal_id: int, buyer_id: int, variant_id: int, quantity: int, marker: str = "") -> None:
    try:
        gate.release(deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity, marker=marker)
    except gate.GateUnavailable:
        log.warning("claim gate unavailable: deal %s is repaired by the next reconciliation", deal_id)


def deal_claim_convert(*, claim_id: int, buyer_id: int, product_id: int, quantity: int) -> DealUnits:
    """Inside the checkout's transaction: the claim becomes part of an order. Its units are taken from the
    deal and its size's set-aside units with the same conditional statements as any deal order (PostgreSQL
    is the final guard)."""
    now = timezone.now()
    converted = DealClaim.objects.filter(pk=claim_id, buyer_id=buyer_id, status=ClaimStatus.ACTIVE,
                                         expires_at__gt=now, quantity=quantity).update(
        status=ClaimStatus.CONVERTED, ended_at=now)
    if not converted:
        raise ClaimExpired()
    deal_id, variant_id = DealClaim.objects.values_list("deal_id", "variant_id").get(pk=claim_id)
    return _deal_units_take(deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity,
                            product_id=product_id, now=now, ended_ok=True)


@transaction.atomic
def claims_expire_due(*, now: dt.datetime | None = None) -> int:
    """Beat: claims not ordered in time expire; their units return to the gate (and so to the deal). Units a
    claim kept set aside after its deal ended go back to free stock with the next deals_settle_due."""
    now = now or timezone.now()
    expired = list(DealClaim.objects.filter(status=ClaimStatus.ACTIVE, expires_at__lte=now)
                   .select_for_update(skip_locked=True).values_list("pk", "deal_id", "buyer_id", "variant_id",
                                                                     "quantity", "idempotency_key"))
    DealClaim.objects.filter(pk__in=[row[0] for row in expired]).update(status=ClaimStatus.EXPIRED, ended_at=now)

    def give_back() -> None:
        for _pk, deal_id, buyer_id, variant_id, quantity, key in expired:
            _gate_release_quietly(deal_id, buyer_id, variant_id, quantity, f"{buyer_id}:{key}" if key else "")
        for deal_id in sorted({row[1] for row in expired}):
            waitlist_serve(deal_id=deal_id)

    transaction.on_commit(give_back)
    return len(expired)


def deal_gate_reconcile(*, now: dt.datetime | None = None) -> int:
    """Beat: the gate's counts (units left in all and per size, buyers' holdings) of every deal that still
    matters are compared with PostgreSQL's and overwritten where they differ. Returns how many deals
    drifted."""
    drifted = 0
    for deal_id in selectors.deals_to_reconcile(now=now or timezone.now()):
        snapshot = selectors.deal_gate_snapshot(deal_id=deal_id)
        try:
            left, sizes = gate.size_counts(deal_id=deal_id)
            _, holdings = gate.counts(deal_id=deal_id)
            expected = {buyer: held for buyer, held in snapshot.holdings.items() if held}
            expected_sizes = {size: units for size, units in snapshot.sizes.items() if units > 0}
            if (left != max(snapshot.left, 0) or {b: h for b, h in holdings.items() if h} != expected
                    or {size: units for size, units in sizes.items() if units} != expected_sizes
                    or gate.waiting_counts(deal_id=deal_id) != snapshot.waiting):
                drifted += 1
                log.warning("claim gate of deal %s drifted (left %s, expected %s): reset from the database",
                            deal_id, left, snapshot.left)
                gate.seed(snapshot, reset=True)
        except gate.GateUnavailable:
            log.warning("claim gate unavailable: reconciliation of deal %s waits for the next run", deal_id)
            return drifted
        waitlist_serve(deal_id=deal_id)  # units that came back while nobody asked
        realtime.publish_state_soon(FlashDeal.objects.values_list("session_id", flat=True).get(pk=deal_id))
    return drifted


# --- Waitlist --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WaitlistJoin:
    entry: DealWaitlistEntry
    new: bool  # False: the buyer's place from before


def waitlist_join(*, buyer_id: int, deal_id: int, variant_id: int, product_id: int,
                  quantity: int) -> WaitlistJoin:
    """A buyer who found the deal (or their size) sold out waits for units that come back. Joining twice
    returns the place already held; joining while units can be claimed is refused (claim them instead)."""
    deal = _claim_checked(deal_id=deal_id, product_id=product_id, quantity=quantity)
    earlier = DealWaitlistEntry.objects.filter(deal_id=deal_id, buyer_id=buyer_id,
                                               status=WaitlistStatus.WAITING).first()
    if earlier is not None:
        return WaitlistJoin(earlier, False)
    now = timezone.now()
    try:
        outcome = gate.waitlist_join(deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id, quantity=quantity,
                                     now=now)
        if outcome == "unseeded":
            gate.seed(selectors.deal_gate_snapshot(deal_id=deal_id))
            outcome = gate.waitlist_join(deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id,
                                         quantity=quantity, now=now)
    except gate.GateUnavailable as exc:  # the waitlist's order is kept by the gate: no place without it
        raise ServiceBusy("The waitlist is briefly unavailable; retry in a moment.",
                          extra={"retry_after_seconds": 2}) from exc
    if outcome == "available":
        raise DealNotSoldOut()
    if outcome != "ok":
        raise _GATE_REFUSALS[outcome](deal)
    try:
        with transaction.atomic():
            entry = DealWaitlistEntry.objects.create(deal_id=deal_id, buyer_id=buyer_id, variant_id=variant_id,
                                                     quantity=quantity)
    except IntegrityError:  # the same buyer joining twice at the same moment: one place, the gate counts one
        _waitlist_owed_no_more(deal_id, variant_id, quantity)
        return WaitlistJoin(DealWaitlistEntry.objects.get(deal_id=deal_id, buyer_id=buyer_id,
                                                          status=WaitlistStatus.WAITING), False)
    except BaseException:
        _waitlist_owed_no_more(deal_id, variant_id, quantity)
        raise
    realtime.publish_state_soon(deal.session_id)
    return WaitlistJoin(entry, True)


def waitlist_leave(*, buyer_id: int, deal_id: int) -> bool:
    """The buyer gives up their place; False when they had none."""
    entry = DealWaitlistEntry.objects.filter(deal_id=deal_id, buyer_id=buyer_id, status=WaitlistStatus.WAITING)
    row = entry.values_list("pk", "variant_id", "quantity").first()
    if row is None or not entry.filter(pk=row[0]).update(status=WaitlistStatus.LEFT):
        return False
    _waitlist_owed_no_more(deal_id, row[1], row[2])
    return True


def _waitlist_owed_no_more(deal_id: int, variant_id: int, quantity: int) -> None:
    try:
        gate.waitlist_leave(deal_id=deal_id, variant_id=variant_id, quantity=quantity)
    except gate.GateUnavailable:
        log.warning("claim gate unavailable: deal %s's waitlist count is repaired by the reconciliation", deal_id)


def waitlist_serve(*, deal_id: int) -> int:
    """Units that came back go to waiting buyers in the order they joined: each gets a claim held for
    LIVEDOCK_WAITLIST_HOLD_SECONDS, through the gate (so never past the cap or the buyer's limit). A buyer
    whose size is still sold out keeps their place; one who holds the limit by now is passed over.
    Returns how many were offered a claim."""
    offered, tried = 0, set()
    facts = selectors.deal_facts(deal_id=deal_id)
    if facts is None:
        return 0
    while True:
        with transaction.atomic():
            entry = (DealWaitlistEntry.objects.select_for_update(skip_locked=True)
                     .filter(deal_id=deal_id, status=WaitlistStatus.WAITING).exclude(pk__in=tried)
                     .order_by("joined_at", "id").first())
            if entry is None:
                return offered
            tried.add(entry.pk)
            now = timezone.now()
            try:
                answer = _gate_take(facts, entry.buyer_id, entry.variant_id, entry.quantity, now,
                                    "", waitlist=True)  # the entry row lock keeps it to one offer
            except gate.GateUnavailable:
                return offered  # the next reconciliation serves them
            if answer.outcome in ("sold_out", "not_started"):
                return offered  # nothing came back (yet)
            if answer.outcome == "size_sold_out":
                continue  # their size did not come back: they keep their place
            if answer.outcome != "ok":  # over the limit by now, or the deal ended: passed over
                entry.status = WaitlistStatus.LAPSED
                entry.save(update_fields=["status", "updated_at"])
                transaction.on_commit(lambda e=entry: _waitlist_owed_no_more(deal_id, e.variant_id, e.quantity))
                continue
            claim = DealClaim.objects.create(
                deal_id=deal_id, buyer_id=entry.buyer_id, variant_id=entry.variant_id, quantity=entry.quantity,
                idempotency_key=f"waitlist-{entry.pk}",
                expires_at=now + dt.timedelta(seconds=settings.LIVEDOCK_WAITLIST_HOLD_SECONDS))
            entry.status, entry.claim = WaitlistStatus.OFFERED, claim
            entry.save(update_fields=["status", "claim", "updated_at"])
            offered += 1
            realtime.publish_state_soon(facts.session_id)
