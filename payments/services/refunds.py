"""Refunds: requested by an operator (or automatically), executed by a task against Stripe, with the goods' units
returned to sale and the payouts already made reversed.

Every refund and reversal goes through the one protocol of calls to Stripe (payments/services/provider.py).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from config.errors import IdempotencyKeyReused, InvalidInput
from config.task_queue import enqueue_on_commit
from fit import services as fit_services
from fit.models import FitReport
from orders.models import PAYMENT_CAPTURED, Order, OrderLine, OrderPaymentStatus, Shipment
from orders.services import lifecycle
from payments import gateway as gw
from payments.errors import PaymentGatewayError, RefundNotPossible
from payments.models import LedgerEntry, Payment, Payout, Refund, RefundLine
from payments.services.ledger import _ledger_allocations, _line_split, line_hosts
from payments.services.provider import ProviderCall, provider_once
from shop import services as shop_services
from shop.money import quantize, to_minor_units

Kind = LedgerEntry.Kind


@dataclass(frozen=True)
class RefundRequested:
    refund: Refund
    replayed: bool  # the same request (key and body) asked for it before: nothing new was refunded


def refund_request(*, order_id: int, lines: list[tuple[int, int]] | None, reason: str, actor, idempotency_key: str,
                   request_hash: str = "", full: bool = False,
                   fit_reasons: dict[int, str] | None = None) -> RefundRequested:
    """Refund whole lines or units of lines (`lines` = [(order line id, quantity)]), or everything left
    (`full`, which also refunds duties, taxes and shipping, once per order). Over-refunds are refused: the units
    count as refunded from now on, so no parcel ships them. The money moves in a worker (refund_execute); units
    not shipped go back on sale only once Stripe has refunded them, and count again if Stripe refuses.
    Once per `idempotency_key` and order: the same key with the same request (`request_hash`) returns the first
    refund and refunds nothing more; with another request it is refused (409)."""

    if not reason.strip():
        raise InvalidInput("Say why the money is refunded.", fields={"reason": ["Required."]})
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)  # serialises refunds of the order, keys too
        earlier = Refund.objects.filter(order=order, request_key=idempotency_key).first()
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise IdempotencyKeyReused(fields={"Idempotency-Key": ["Used before with another request."]})
            return RefundRequested(earlier, True)
        payment = Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).first()
        if payment is None or order.payment_status not in PAYMENT_CAPTURED:
            raise RefundNotPossible("Only a paid order can be refunded.")
        order_lines = {line.pk: line for line in OrderLine.objects.filter(order=order).order_by("pk")}
        if full:
            wanted = [(pk, line.quantity - line.refunded_quantity) for pk, line in order_lines.items()
                      if line.quantity > line.refunded_quantity]
        else:
            wanted = lines or []
            if not wanted:
                raise InvalidInput("Name the lines and quantities to refund.", fields={"lines": ["Required."]})
        refund_lines, amount = [], Decimal(0)
        for line_id, quantity in wanted:
            line = order_lines.get(line_id)
            if line is None:
                raise InvalidInput("That line is not on this order.", fields={"lines": [f"Unknown line {line_id}."]})
            if quantity < 1:
                raise InvalidInput("Refund at least one unit.", fields={"lines": [f"Line {line_id}: quantity."]})
            # Conditional update: two concurrent requests can never refund more units than were sold.
            if not OrderLine.objects.filter(pk=line_id, refunded_quantity__lte=F("quantity") - quantity).update(
                    refunded_quantity=F("refunded_quantity") + quantity):
                raise RefundNotPossible(f"Line {line.sku}: only {line.quantity - line.refunded_quantity} units "
                                        "are left to refund.", fields={"lines": [f"Line {line_id}: too many."]})
            value = quantize(line.unit_price * quantity, order.currency)
            amount += value
            fit_reason = (fit_reasons or {}).get(line_id, "")
            if fit_reason and fit_reason not in FitReport.Verdict.values:
                raise InvalidInput("Unknown fit reason.", fields={"lines": [f"Line {line_id}: fit_reason."]})
            refund_lines.append(RefundLine(order_line=line, quantity=quantity, amount=value,
                                           restock=_unshipped(line), fit_reason=fit_reason))
        includes_extras = full and not Refund.objects.filter(order=order, includes_extras=True).exclude(
            status=Refund.Status.FAILED).exists()
        if includes_extras:
            amount += _extras(order)[1]
        refunded_before = Refund.objects.filter(order=order).exclude(status=Refund.Status.FAILED).aggregate(
            total=Sum("amount"))["total"] or Decimal(0)
        if amount <= 0:
            raise RefundNotPossible("Nothing is left to refund.")
        if refunded_before + amount > (payment.captured_amount or payment.amount):
            raise RefundNotPossible("That would refund more than was captured.")
        refund = Refund.objects.create(
            order=order, payment=payment, amount=amount, currency=order.currency,
            amount_minor=to_minor_units(amount, order.currency, charge=False),
            reason=reason.strip(), includes_extras=includes_extras, requested_by=actor,
            # Stripe's key follows from the request's: the same request never refunds twice, even past our row
            idempotency_key=f"order:{order.pk}:refund:{hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]}",
            request_key=idempotency_key,
            request_hash=request_hash,
        )
        for refund_line in refund_lines:
            refund_line.refund = refund
        RefundLine.objects.bulk_create(refund_lines)
        for refund_line in refund_lines:
            if refund_line.fit_reason:  # a return for fit teaches the recommender like a fit report
                fit_services.fit_return_record(order_line=refund_line.order_line, verdict=refund_line.fit_reason)
        # robust: the refund is recorded; if the broker cannot take the task, reconciliation executes it.
        enqueue_on_commit("payments.execute_refund", refund.pk)
        return RefundRequested(refund, False)


def _extras(order: Order) -> tuple[dict[str, Decimal], Decimal]:
    """What a refund of the order's duties, taxes and shipping gives back, by ledger kind, and in all."""
    extras = {Kind.DUTIES_TAXES: order.duties_total + order.taxes_total, Kind.SHIPPING: order.shipping_total}
    return extras, sum(extras.values(), Decimal(0))


def _unshipped(line: OrderLine) -> bool:
    """The line's units are still reserved in the warehouse: its parcel has not shipped, nor were they released."""
    shipped = Shipment.objects.filter(pk=line.shipment_id,
                                      status__in=[Shipment.Status.SHIPPED, Shipment.Status.DELIVERED]).exists()
    return not shipped and not line.reservation_released


def _restock(line: OrderLine, quantity: int) -> bool:
    """Units of a line whose parcel has not shipped return to sale now; shipped ones are with the buyer."""
    if not _unshipped(line):
        return False
    shop_services.stock_release(stock_level_id=line.stock_level_id, quantity=quantity)
    if line.refunded_quantity + quantity >= line.quantity:
        OrderLine.objects.filter(pk=line.pk).update(reservation_released=True)
    return True


def _refunded_units_back_on_sale(refund: Refund) -> None:
    """Refunded units that had not shipped when the refund was asked for are still reserved (a parcel shipping
    since left them out): they go back on sale. Inside the transaction that records the refund's outcome."""
    for refund_line in refund.lines.filter(restock=True).select_related("order_line"):
        line = refund_line.order_line
        shop_services.stock_release(stock_level_id=line.stock_level_id, quantity=refund_line.quantity)
        if line.refunded_quantity >= line.quantity:  # nothing of the line is left to ship or to release
            OrderLine.objects.filter(pk=line.pk).update(reservation_released=True)


def _refund_failed(refund: Refund, error: str) -> bool:
    """Stripe refused: the refund fails once, and its units count as sold again. Those still in the warehouse
    stay reserved for the parcel; those its parcel left out when it shipped meanwhile go back on sale (they
    are neither with the buyer nor refunded: the operator refunds again, or ships them). False if the refund
    had its outcome already."""
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=refund.order_id)  # the lock every refund of the order takes
        if not Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
                status=Refund.Status.FAILED, error=error):
            return False
        for refund_line in refund.lines.select_related("order_line"):
            line = refund_line.order_line
            OrderLine.objects.filter(pk=line.pk, refunded_quantity__gte=refund_line.quantity).update(
                refunded_quantity=F("refunded_quantity") - refund_line.quantity)
            if refund_line.restock and line.reservation_released:  # shipped without them since
                shop_services.stock_release(stock_level_id=line.stock_level_id, quantity=refund_line.quantity)
        return True


def refund_execute(*, refund_id: int) -> Refund:
    """The refund at Stripe, once (payments/services/provider.py); then the share of payouts already made."""

    def prepare() -> ProviderCall | None:
        refund = Refund.objects.select_for_update(of=("self",)).select_related("payment").get(pk=refund_id)
        if refund.status != Refund.Status.REQUESTED:
            return None
        return ProviderCall(gw.gateway().refund, kwargs={
            "intent_id": refund.payment.intent_id, "amount_minor": refund.amount_minor,
            "idempotency_key": refund.idempotency_key, "metadata": {"order_id": str(refund.order_id)}})

    def refused(exc: PaymentGatewayError, call: ProviderCall) -> None:
        _refund_failed(Refund.objects.get(pk=refund_id), str(exc))

    def record(stripe_id: str, call: ProviderCall) -> Refund:
        refund = Refund.objects.select_for_update(of=("self",)).select_related("payment").get(pk=refund_id)
        if refund.status != Refund.Status.REQUESTED:
            return refund
        order = Order.objects.select_for_update().get(pk=refund.order_id)  # before the stamp: see payouts
        refund.status, refund.stripe_refund_id, refund.completed_at = Refund.Status.SUCCEEDED, stripe_id, timezone.now()
        refund.save(update_fields=["status", "stripe_refund_id", "completed_at"])
        _refunded_units_back_on_sale(refund)
        lines = [(rl.order_line, rl.quantity) for rl in refund.lines.select_related("order_line")]
        extras = _extras(order)[0] if refund.includes_extras else {}
        entries = [LedgerEntry(order=order, kind=Kind.REFUND, amount=-refund.amount, currency=order.currency,
                               stripe_object_id=stripe_id, memo=refund.reason[:300])]
        entries += _ledger_allocations(order, lines, -1, stripe_id, "Refund", extras)
        LedgerEntry.objects.bulk_create(entries)
        total_refunded = Refund.objects.filter(order=order, status=Refund.Status.SUCCEEDED).aggregate(
            total=Sum("amount"))["total"]
        captured = refund.payment.captured_amount if refund.payment.captured_amount is not None else order.total
        lifecycle.order_payment_status_set(order_id=order.pk, payment_status=OrderPaymentStatus.REFUNDED
                                           if total_refunded >= captured else OrderPaymentStatus.PARTIALLY_REFUNDED)
        lifecycle.parcels_refunded_in_full(order_id=order.pk, note=f"Refund {refund.pk}: {refund.reason}")
        return refund

    refund = provider_once(prepare=prepare, record=record, refused=refused,
                           done=lambda: Refund.objects.select_related("payment").get(pk=refund_id))
    if refund.status == Refund.Status.SUCCEEDED:
        # also on a repeat of the task: the run that recorded the refund may have died before reversing payouts
        _reverse_paid_transfers(refund)
    return refund


def refunds_reversed_from(payout: Payout) -> None:
    """A payout just paid: refunds of its order that completed after its amount was read take their share back
    (each once: a refund's own run may be doing the same, and the reversal is recorded once)."""
    completed_since = Refund.objects.filter(order_id=payout.order_id, status=Refund.Status.SUCCEEDED,
                                            completed_at__gt=payout.amount_fixed_at).order_by("pk")
    for refund in completed_since:
        _reverse_paid_transfers(refund)


def _reverse_paid_transfers(refund: Refund) -> None:
    """Where a manufacturer or a live host was already paid for refunded lines, take that share back."""
    refund_lines = list(refund.lines.select_related("order_line"))
    hosts = line_hosts([rl.order_line for rl in refund_lines])
    owed_back: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for refund_line in refund_lines:
        line = refund_line.order_line
        payable, _fee, commission = _line_split(line, refund_line.quantity, refund.currency)
        owed_back[Payout.Recipient.MANUFACTURER, line.manufacturer_id] += payable
        if commission and line.pk in hosts:
            owed_back[Payout.Recipient.HOST, hosts[line.pk]] += commission
    memo = f"Refund {refund.pk}"
    for (kind, recipient_id), amount in sorted(owed_back.items()):
        who = {"manufacturer_id": recipient_id} if kind == Payout.Recipient.MANUFACTURER else {"host_id": recipient_id}
        # Only a payout whose amount was read before this refund reached the ledger paid out the refunded share.
        payout = Payout.objects.filter(order_id=refund.order_id, recipient_kind=kind, status=Payout.Status.PAID,
                                       amount_fixed_at__lt=refund.completed_at, **who).first()
        if payout is None or LedgerEntry.objects.filter(order_id=refund.order_id, kind=Kind.TRANSFER_REVERSAL,
                                                        memo=memo, **who).exists():
            continue
        _reversed_once(refund, payout, min(amount, payout.amount - payout.reversed_amount), memo)


def _reversed_once(refund: Refund, payout: Payout, amount: Decimal, memo: str) -> None:
    """Take `amount` of the refund's share back from a paid payout's transfer, once (provider.py)."""
    if amount <= 0:
        return

    def prepare() -> ProviderCall:
        Payout.objects.select_for_update().get(pk=payout.pk)  # one run records a reversal at a time
        return ProviderCall(gw.gateway().reverse_transfer, kwargs={
            "transfer_id": payout.stripe_transfer_id, "idempotency_key": f"refund:{refund.pk}:reverse:{payout.pk}",
            "amount_minor": to_minor_units(amount, payout.currency, charge=False)})

    def record(reversal_id: str, call: ProviderCall) -> None:
        Payout.objects.select_for_update().get(pk=payout.pk)
        if LedgerEntry.objects.filter(stripe_object_id=reversal_id).exists():
            return
        Payout.objects.filter(pk=payout.pk).update(reversed_amount=F("reversed_amount") + amount)
        LedgerEntry.objects.create(order_id=refund.order_id, kind=Kind.TRANSFER_REVERSAL,
                                   manufacturer_id=payout.manufacturer_id, host_id=payout.host_id,
                                   amount=-amount, currency=payout.currency, stripe_object_id=reversal_id, memo=memo)

    provider_once(prepare=prepare, record=record, done=lambda: None)
