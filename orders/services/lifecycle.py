"""The order state machine, reservation expiry, cancellation and shipment progress."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.errors import IllegalTransition, InvalidInput
from config.task_queue import enqueue_on_commit
from livestream import services as live_services
from shop import services as shop_services

from ..errors import ShipmentStateError
from ..models import ORDER_SHIPPABLE, ORDER_TRANSITIONS, Order, OrderEvent, OrderLine, OrderStatus, Shipment

ActorKind = OrderEvent.ActorKind


def order_transition(*, order_id: int, to_status: str, actor=None, actor_kind: str = ActorKind.SYSTEM,
                     note: str = "", **fields) -> Order:
    """Move an order to `to_status` if the transitions table allows it: locks the row, saves only the
    changed fields and writes the event. Runs inside the caller's transaction (or its own)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if to_status not in ORDER_TRANSITIONS[order.status]:
            raise IllegalTransition(
                f"Order {order.number} is {order.get_status_display().lower()}; it cannot become "
                f"{OrderStatus(to_status).label.lower()}.",
                extra={"status": order.status, "requested": to_status},
            )
        from_status = order.status
        order.status = to_status
        for name, value in fields.items():
            setattr(order, name, value)
        order.save(update_fields=["status", "updated_at", *fields])
        OrderEvent.objects.create(order=order, from_status=from_status, to_status=to_status, actor=actor,
                                  actor_kind=actor_kind, note=note)
        return order


def release_reservations(order: Order) -> int:
    """Return every still-reserved unit of the order, exactly once per line: a live deal's units to the deal
    while it runs (still set aside for it), every other unit to free stock. Deal lines first, in deal order,
    then by variant: the lock order of a checkout (deals, then stock)."""
    released = 0
    lines = OrderLine.objects.filter(order=order, reservation_released=False)
    for line in lines.order_by(F("deal_id").asc(nulls_last=True), "variant_id", "id"):
        # The flag flips once; only the flip that succeeds releases stock.
        if OrderLine.objects.filter(pk=line.pk, reservation_released=False).update(reservation_released=True):
            units = line.quantity - line.refunded_quantity
            back_to_deal = bool(units and line.deal_id) and live_services.deal_release(
                deal_id=line.deal_id, buyer_id=order.buyer_id, variant_id=line.variant_id,
                stock_level_id=line.stock_level_id, quantity=units)
            if units and not back_to_deal:
                shop_services.stock_release(stock_level_id=line.stock_level_id, quantity=units)
            released += units
    return released


def order_payment_hold(*, order_id: int, minutes: int | None = None) -> Order:
    """A payment for this order has started: keep its reservation at least this long, so an order is
    never expired under a paying buyer."""
    minutes = minutes or settings.LIVEDOCK_PAYMENT_HOLD_MINUTES
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.PENDING_PAYMENT:
            return order
        until = timezone.now() + dt.timedelta(minutes=minutes)
        order.payment_hold_until = until
        order.reservation_expires_at = max(order.reservation_expires_at, until)
        order.save(update_fields=["payment_hold_until", "reservation_expires_at", "updated_at"])
        return order


def order_expire(*, order_id: int, now: dt.datetime | None = None) -> bool:
    """Expire one unpaid order whose reservation ran out and return its stock. Skips (False) an order
    that was paid, cancelled or extended meanwhile, or whose payment is still in progress."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update(skip_locked=True).filter(pk=order_id).first()
        if order is None or order.status != OrderStatus.PENDING_PAYMENT or order.reservation_expires_at > now:
            return False
        if order.payment_hold_until and order.payment_hold_until > now:
            return False
        order_transition(order_id=order.pk, to_status=OrderStatus.EXPIRED, note="Unpaid; reservation expired.")
        release_reservations(order)
        return True


def orders_expire_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    now = now or timezone.now()
    due = (
        Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, reservation_expires_at__lte=now)
        .filter(Q(payment_hold_until__isnull=True) | Q(payment_hold_until__lte=now))
        .order_by("reservation_expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(order_expire(order_id=pk, now=now) for pk in list(due))


def order_cancel(*, order_id: int, actor, reason: str) -> Order:
    """Cancel an order that has not been paid, returning its stock. (Paid orders are refunded.)"""
    if not reason.strip():
        raise InvalidInput("Say why the order is cancelled.", fields={"reason": ["Required."]})
    with transaction.atomic():
        order = order_transition(order_id=order_id, to_status=OrderStatus.CANCELLED, actor=actor,
                                 actor_kind=ActorKind.OPERATOR, note=reason, cancel_reason=reason)
        Shipment.objects.filter(order=order).update(status=Shipment.Status.CANCELLED)
        release_reservations(order)
        return order


def order_mark_paid(*, order_id: int, note: str = "") -> Order:
    return order_transition(order_id=order_id, to_status=OrderStatus.PAID, note=note or "Payment received.")


def order_payment_status_set(*, order_id: int, payment_status: str) -> None:
    """Where the order's money is (OrderPaymentStatus); its fulfilment status is not touched. The ledger and the
    payment and refund rows are the history of the money."""
    Order.objects.filter(pk=order_id).update(payment_status=payment_status, updated_at=timezone.now())


def parcels_refunded_in_full(*, order_id: int, note: str) -> Order:
    """After a refund: parcels not yet shipped whose units are all refunded are cancelled (nothing is left to
    send), and an order with nothing left to ship moves on: cancelled if none of its parcels shipped, shipped
    if the others did. Parcels with units left ship as usual, whatever was refunded."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        for shipment in Shipment.objects.filter(order=order, status__in=[Shipment.Status.PENDING,
                                                                          Shipment.Status.PACKED]):
            if not OrderLine.objects.filter(shipment=shipment, refunded_quantity__lt=F("quantity")).exists():
                Shipment.objects.filter(pk=shipment.pk).update(status=Shipment.Status.CANCELLED)
        if order.status not in ORDER_SHIPPABLE or Shipment.objects.filter(order=order).exclude(
                status__in=[Shipment.Status.SHIPPED, Shipment.Status.DELIVERED, Shipment.Status.CANCELLED]).exists():
            return order
        if order.status == OrderStatus.PAID:  # nothing shipped, and nothing is left to ship
            return order_transition(order_id=order.pk, to_status=OrderStatus.CANCELLED, note=note, cancel_reason=note)
        return order_transition(order_id=order.pk, to_status=OrderStatus.SHIPPED, note=f"{note} All parcels shipped.")


_SHIPPABLE = ORDER_SHIPPABLE


def _shipment_locked(shipment_id: int) -> Shipment:
    return Shipment.objects.select_for_update().select_related("order").get(pk=shipment_id)


def shipment_mark_packed(*, shipment_id: int, actor) -> Shipment:
    with transaction.atomic():
        shipment = _shipment_locked(shipment_id)
        if shipment.status != Shipment.Status.PENDING or shipment.order.status not in _SHIPPABLE:
            raise ShipmentStateError("Only a pending parcel of a paid order can be packed.")
        shipment.status, shipment.packed_at = Shipment.Status.PACKED, timezone.now()
        shipment.save(update_fields=["status", "packed_at"])
        if shipment.order.status == OrderStatus.PAID:
            order_transition(order_id=shipment.order_id, to_status=OrderStatus.IN_FULFILMENT, actor=actor,
                             actor_kind=ActorKind.MANUFACTURER, note=f"Parcel {shipment.pk} packed.")
        return shipment


def shipment_mark_shipped(*, shipment_id: int, actor, carrier: str, tracking_number: str) -> Shipment:
    """Hand the parcel to the carrier: its reserved units leave stock, and the order is shipped once
    every live parcel has gone."""
    if not carrier.strip() or not tracking_number.strip():
        raise InvalidInput("A shipped parcel needs a carrier and a tracking number.",
                           fields={"carrier": ["Required."], "tracking_number": ["Required."]})
    with transaction.atomic():
        shipment = _shipment_locked(shipment_id)
        if shipment.status not in (Shipment.Status.PENDING, Shipment.Status.PACKED) \
                or shipment.order.status not in _SHIPPABLE:
            raise ShipmentStateError("Only a pending or packed parcel of a paid order can be shipped.")
        for line in OrderLine.objects.filter(shipment=shipment, reservation_released=False).order_by("variant_id"):
            if OrderLine.objects.filter(pk=line.pk, reservation_released=False).update(reservation_released=True):
                # Units refunded before shipping already went back on sale.
                units = line.quantity - line.refunded_quantity
                if units:
                    shop_services.stock_ship(stock_level_id=line.stock_level_id, quantity=units)
        shipment.status, shipment.shipped_at = Shipment.Status.SHIPPED, timezone.now()
        shipment.carrier, shipment.tracking_number = carrier.strip(), tracking_number.strip()
        shipment.save(update_fields=["status", "shipped_at", "carrier", "tracking_number"])
        if settings.STRIPE_CAPTURE_METHOD == "manual":
            # The buyer's card was only authorised: goods leave, so the money is taken (docs/payments.md).
            enqueue_on_commit("payments.capture_shipped", shipment.order_id)
        order = Order.objects.get(pk=shipment.order_id)
        if order.status == OrderStatus.PAID:
            order = order_transition(order_id=order.pk, to_status=OrderStatus.IN_FULFILMENT, actor=actor,
                                     actor_kind=ActorKind.MANUFACTURER, note=f"Parcel {shipment.pk} shipping.")
        open_parcels = Shipment.objects.filter(order=order).exclude(
            status__in=[Shipment.Status.SHIPPED, Shipment.Status.DELIVERED, Shipment.Status.CANCELLED])
        if order.status == OrderStatus.IN_FULFILMENT and not open_parcels.exists():
            order_transition(order_id=order.pk, to_status=OrderStatus.SHIPPED, actor=actor,
                             actor_kind=ActorKind.MANUFACTURER, note="All parcels shipped.")
        return shipment


def shipment_mark_delivered(*, shipment_id: int, actor=None) -> Shipment:
    with transaction.atomic():
        shipment = _shipment_locked(shipment_id)
        if shipment.status != Shipment.Status.SHIPPED:
            raise ShipmentStateError("Only a shipped parcel can be delivered.")
        shipment.status, shipment.delivered_at = Shipment.Status.DELIVERED, timezone.now()
        shipment.save(update_fields=["status", "delivered_at"])
        order = Order.objects.get(pk=shipment.order_id)
        undelivered = Shipment.objects.filter(order=order).exclude(
            status__in=[Shipment.Status.DELIVERED, Shipment.Status.CANCELLED])
        if order.status == OrderStatus.SHIPPED and not undelivered.exists():
            order_transition(order_id=order.pk, to_status=OrderStatus.DELIVERED, actor=actor,
                             note="All parcels delivered.")
        return shipment
