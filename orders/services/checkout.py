"""Checkout: one cart becomes one order, with its stock reserved, or nothing happens at all."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Address
from config import metrics
from config.errors import IdempotencyKeyReused, NotFound
from config.idempotency import idempotency_key_checked
from landed_cost import selectors as landed_cost
from livestream import services as live_services
from livestream.errors import DealSizeSoldOut, DealSoldOut
from shop import selectors as shop_selectors
from shop import services as shop_services
from shop.errors import InsufficientStock, VariantUnavailable
from shop.money import quantize, to_minor_units

from ..errors import CartEmpty
from ..models import CartLine, IdempotencyRecord, Order, OrderEvent, OrderLine, OrderStatus, Shipment
from ..selectors import cart_deal_units, cart_lines, cart_priced_from, cart_stock, units_free

_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: numbers are read over the phone


def _order_number(now: dt.datetime) -> str:
    return f"LD-{now:%y%m%d}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def _refusal(lines, stock, deal_units) -> Exception | None:
    """Why the cart cannot be checked out, from a snapshot and before any write: in a flash sale most buyers
    arrive after the last unit went. The locking reservation is the guard; this only refuses early. A deal
    line's units are those the deal set aside in that size, not free stock."""
    if not lines:
        return CartEmpty()
    for line in lines:
        if line.deal_id:
            if deal_units.get((line.deal_id, line.variant_id), 0) < line.quantity:
                others = sum(units for (deal, _), units in deal_units.items() if deal == line.deal_id)
                return DealSizeSoldOut() if others else DealSoldOut()
            continue
        available = units_free(stock, line.variant_id)
        if line.quantity > available:
            return InsufficientStock(
                f"Not enough stock: {available} of {line.quantity} available.",
                fields={"lines": {str(line.pk): ["Not enough stock."]}},
            )
    return None


def _parcels(allocations) -> list:
    weights: dict[tuple[int, int], Decimal] = {}
    for priced, level, quantity in allocations:
        parcel = (priced.variant.product.manufacturer_id, level.warehouse_id)
        weights[parcel] = weights.get(parcel, Decimal(0)) + priced.variant.gross_weight_kg * quantity
    return [landed_cost.Parcel(weight) for weight in weights.values()]


def _count_reservations(allocations) -> None:
    by_source: dict[str, int] = {}
    for priced, _level, quantity in allocations:
        source = "flash_deal" if priced.line.deal_id else "storefront"
        by_source[source] = by_source.get(source, 0) + quantity
    for source, units in by_source.items():
        transaction.on_commit(partial(metrics.increment, "livedock_stock_reservations", {"source": source}, units))


def _short(priced, available: int) -> InsufficientStock:
    return InsufficientStock(
        f"Not enough stock of {priced.variant.sku}: {available} of {priced.line.quantity} available.",
        fields={"lines": {str(priced.line.pk): ["Not enough stock."]}},
        extra={"sku": priced.variant.sku},
    )


@dataclass
class PlacedOrder:
    order: Order
    replayed: bool


_RECORD_TABLE = IdempotencyRecord._meta.db_table
_CLAIM_SQL = f"""
INSERT INTO {_RECORD_TABLE} (user_id, scope, key, request_hash, created_at)
VALUES (%s, %s, %s, %s, now())
ON CONFLICT (user_id, scope, key) DO NOTHING
RETURNING id
"""  # noqa: S608 - the table name comes from the model


def _claim_key(*, buyer, scope: str, key: str, request_hash: str) -> IdempotencyRecord | None:
    """Claim the key inside the caller's transaction. Returns the earlier record when the key was
    already used. A concurrent first attempt with the same key makes this insert wait until that
    attempt commits (then we replay it) or rolls back (then we proceed as the first)."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [buyer.pk, scope, key, request_hash])
        if cursor.fetchone() is not None:
            return None
    earlier = IdempotencyRecord.objects.get(user=buyer, scope=scope, key=key)
    if earlier.request_hash != request_hash:
        raise IdempotencyKeyReused(fields={"Idempotency-Key": ["Used before with another request."]})
    return earlier


def order_place(*, buyer, address_id: int, currency: str, idempotency_key: str, request_hash: str) -> PlacedOrder:
    """Turn the buyer's cart into one order in `currency`, in one transaction:

    - an empty cart, or one asking for more than is free, is refused before any write;
    - every line is snapshotted (price, FX rate and source, customs data, weights, manufacturer);
    - a live deal's line takes its units from what the deal set aside (they are reserved already);
      other lines reserve free stock with locking updates taken in variant order, splitting a line
      across warehouses only when no single one has enough; if any unit is missing, the whole
      transaction rolls back: no order, no reservation; the contended rows are taken last;
    - one shipment per manufacturer and warehouse;
    - the cart is emptied, and the Idempotency-Key recorded, in the same transaction.

    Units the live-deal gate admitted are given back when the transaction does not commit.
    """
    admissions = live_services.GateAdmissions()
    try:
        with transaction.atomic():
            return _order_placed(buyer=buyer, address_id=address_id, currency=currency,
                                 idempotency_key=idempotency_key, request_hash=request_hash, admissions=admissions)
    except BaseException:
        admissions.give_back()
        raise


def _replayed(*, buyer, key: str, request_hash: str) -> PlacedOrder | None:
    """The order an earlier checkout with this key placed, or None if there was none."""
    earlier = IdempotencyRecord.objects.filter(user=buyer, scope="checkout", key=key).first()
    if earlier is None:
        return None
    if earlier.request_hash != request_hash:
        raise IdempotencyKeyReused(fields={"Idempotency-Key": ["Used before with another request."]})
    return PlacedOrder(Order.objects.get(pk=earlier.resource_id), replayed=True)


def _order_placed(*, buyer, address_id: int, currency: str, idempotency_key: str, request_hash: str,
                  admissions: live_services.GateAdmissions) -> PlacedOrder:
    key = idempotency_key_checked(idempotency_key)
    lines = cart_lines(buyer=buyer)
    stock, deal_units = cart_stock(lines), cart_deal_units(lines)
    refusal = _refusal(lines, stock, deal_units)
    if refusal is not None:
        # Refused before any write, unless this key placed an order already (its cart is empty now).
        replayed = _replayed(buyer=buyer, key=key, request_hash=request_hash)
        if replayed is None:
            raise refusal
        return replayed
    earlier = _claim_key(buyer=buyer, scope="checkout", key=key, request_hash=request_hash)
    if earlier is not None:
        return PlacedOrder(Order.objects.get(pk=earlier.resource_id), replayed=True)

    address = Address.objects.filter(pk=address_id, buyer=buyer).first()
    if address is None:
        raise NotFound("No such address.", fields={"address_id": ["Not one of your addresses."]})
    cart = cart_priced_from(lines=lines, stock=stock, currency=currency, deal_units=deal_units)
    for priced in cart.lines:
        if not shop_selectors.variant_is_sellable(priced.variant) or priced.unit_price is None:
            raise VariantUnavailable(f"{priced.variant.sku} is no longer for sale.",
                                     fields={"lines": {str(priced.line.pk): ["Not for sale."]}})

    # Duties and taxes: refused (nothing written) when a rule is missing, never guessed.
    items = [(p.variant, p.line.quantity) for p in cart.lines]
    quote_lines = [landed_cost.quote_line_for(p.variant, p.line.quantity, p.unit_price) for p in cart.lines]
    breakdown = landed_cost.quote_lines(destination=address.country, currency=currency, lines=quote_lines,
                                        parcels=landed_cost.parcels_by_manufacturer(items), fx=cart.fx)
    to_minor_units(breakdown.total, currency)  # a card payment must be possible at all
    now = timezone.now()
    # Written with its final totals: goods are the cart's (a line split across warehouses costs the same),
    # and only such a split, which makes more parcels, changes the quote (then the order is updated).
    order = Order.objects.create(
        number=_order_number(now), buyer=buyer, currency=currency, goods_total=cart.goods_total,
        shipping_total=breakdown.shipping, duties_total=breakdown.duty_in_currency,
        taxes_total=breakdown.tax_in_currency, total=_order_total(cart.goods_total, breakdown),
        landed_cost=breakdown.as_dict(), shipping_address=address.snapshot(), destination_country=address.country,
        reservation_expires_at=now + dt.timedelta(minutes=settings.LIVEDOCK_RESERVATION_MINUTES),
    )
    IdempotencyRecord.objects.filter(user=buyer, scope="checkout", key=key).update(resource_id=order.pk)
    event = OrderEvent.objects.create(order=order, from_status="", to_status=OrderStatus.PENDING_PAYMENT,
                                      actor=buyer, actor_kind=OrderEvent.ActorKind.BUYER, note="Order placed.")
    CartLine.objects.filter(pk__in=[p.line.pk for p in cart.lines]).delete()

    # The contended rows last, so their locks are held only for the few statements up to the commit.
    # Live deals first, in deal order: each is a conditional take on the deal's remaining units, the
    # buyer's allowance and the units the deal set aside in that size; then stock. Every checkout takes
    # locks in this same order.
    deal_lines = sorted((p for p in cart.lines if p.line.deal_id), key=lambda p: p.line.deal_id)
    candidates = cart.stock
    allocations: list[tuple[object, object, int]] = []  # (priced line, stock level, quantity)
    commission: dict[int, Decimal] = {}
    for priced in deal_lines:
        if priced.line.claim_id:  # units held by a claim: it becomes this order's
            units = live_services.deal_claim_convert(claim_id=priced.line.claim_id, buyer_id=buyer.pk,
                                                     product_id=priced.variant.product_id,
                                                     quantity=priced.line.quantity)
        else:
            units = live_services.deal_take(deal_id=priced.line.deal_id, buyer_id=buyer.pk,
                                            variant_id=priced.variant.pk, quantity=priced.line.quantity,
                                            product_id=priced.variant.product_id, admissions=admissions)
        # A host's commission on a live deal; a storefront flash sale has no host.
        item = units.deal.lineup_item
        commission[units.deal.pk] = (item.agreed_commission_rate if item else None) or Decimal(0)
        levels = {level.pk: level for level in candidates.get(priced.variant.pk, [])}
        allocations += [(priced, levels[stock_level_id], taken) for stock_level_id, taken in units.taken]
    # Reserve the other lines: in variant order, each variant's warehouses in the fixed candidate order.
    ordered = sorted((p for p in cart.lines if not p.line.deal_id), key=lambda p: p.variant.pk)
    for priced in ordered:
        wanted = priced.line.quantity
        for level in candidates.get(priced.variant.pk, []):
            if wanted == 0:
                break
            taken = shop_services.stock_take(stock_level_id=level.pk, wanted=wanted)
            if taken:
                allocations.append((priced, level, taken))
                wanted -= taken
        if wanted:
            raise _short(priced, priced.line.quantity - wanted)

    shipments: dict[tuple[int, int], Shipment] = {}
    for priced, level, _qty in allocations:
        parcel = (priced.variant.product.manufacturer_id, level.warehouse_id)
        if parcel not in shipments:
            shipments[parcel] = Shipment(order=order, manufacturer_id=parcel[0], warehouse_id=parcel[1])
    Shipment.objects.bulk_create(shipments.values())

    lines = []
    for priced, level, quantity in allocations:
        variant, product = priced.variant, priced.variant.product
        fx = priced.fx
        lines.append(OrderLine(
            order=order, shipment=shipments[(product.manufacturer_id, level.warehouse_id)], variant=variant,
            stock_level=level, manufacturer_id=product.manufacturer_id, sku=variant.sku,
            product_name=product.name, product_name_zh=product.name_zh, size_label=variant.size_label,
            colour=variant.colour, gtin=variant.gtin, quantity=quantity, unit_price=priced.unit_price,
            line_total=quantize(priced.unit_price * quantity, currency), currency=currency,
            list_price=priced.list_price, list_currency=priced.list_currency, fx_rate=fx.rate,
            fx_source=fx.source[:300], fx_as_of=fx.as_of, hs_code=product.hs_code,
            cn_commodity_code=product.cn_commodity_code, declaration_elements=product.declaration_elements,
            origin_country=product.country_of_origin, legal_unit1=product.legal_unit1,
            legal_unit2=product.legal_unit2, net_weight_kg=variant.net_weight_kg,
            gross_weight_kg=variant.gross_weight_kg, upper_material=product.upper_material,
            outer_sole_material=product.outer_sole_material, covers_ankle=product.covers_ankle,
            gender=product.gender, rcep_origin_criterion=product.rcep_origin_criterion,
            rcep_origin_country=product.rcep_origin_country, deal_id=priced.line.deal_id,
            host_commission_rate=commission.get(priced.line.deal_id, Decimal(0)),
        ))
    OrderLine.objects.bulk_create(lines)
    _count_reservations(allocations)
    parcels = _parcels(allocations)
    if len(parcels) != len(landed_cost.parcels_by_manufacturer(items)):  # stock split across warehouses
        breakdown = landed_cost.quote_lines(destination=address.country, currency=currency, lines=quote_lines,
                                            parcels=parcels, fx=cart.fx)
        order.shipping_total = breakdown.shipping
        order.duties_total, order.taxes_total = breakdown.duty_in_currency, breakdown.tax_in_currency
        order.total = _order_total(order.goods_total, breakdown)
        order.landed_cost = breakdown.as_dict()
        order.save(update_fields=["shipping_total", "duties_total", "taxes_total", "total", "landed_cost"])
    # The caller renders what was just written without reading it back (as prefetch_related would).
    order._prefetched_objects_cache = {}
    for name, rows in (("lines", sorted(lines, key=lambda line: line.pk)),
                       ("shipments", list(shipments.values())), ("events", [event])):
        cached = getattr(order, name).all()
        cached._result_cache, cached._prefetch_done = rows, True
        order._prefetched_objects_cache[name] = cached
    return PlacedOrder(order, replayed=False)


def _order_total(goods_total: Decimal, breakdown) -> Decimal:
    return goods_total + breakdown.shipping + breakdown.duty_in_currency + breakdown.tax_in_currency
