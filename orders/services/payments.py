"""Payments, webhooks, reconciliation, refunds, payouts and the ledger.

Every call to Stripe follows one pattern so that a retried or redelivered task never charges, refunds
or transfers twice: (1) in a transaction, lock our row, check it still needs the call, and make sure
its deterministic idempotency key is stored; (2) call Stripe with that key, outside any transaction;
(3) in a transaction, lock the row again and record the result only if nobody did meanwhile.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from config.errors import ApplicationError, Conflict, InvalidInput
from shop import selectors as shop_selectors
from shop import services as shop_services
from shop.money import quantize

from .. import gateway as gw
from ..models import (
    FitReport,
    LedgerEntry,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    Payout,
    Refund,
    RefundLine,
    Shipment,
    WebhookEvent,
)
from . import declarations, lifecycle

log = logging.getLogger(__name__)
Kind = LedgerEntry.Kind


class TransientGatewayError(Exception):
    """Stripe could not be reached or answered 429/5xx: the task retries with backoff."""


class PaymentGatewayError(ApplicationError):
    code = "payment_gateway_error"
    status_code = 502
    default_message = "The payment provider refused the request."


class WebhookInvalid(InvalidInput):
    code = "webhook_invalid"
    default_message = "The webhook signature or payload is invalid."


class RefundNotPossible(Conflict):
    code = "refund_not_possible"
    default_message = "This refund cannot be made."


def _call(fn, *args, **kwargs):
    """Run a gateway call; transient failures become TransientGatewayError (retry), others a 502."""
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        if gw.is_transient(exc):
            raise TransientGatewayError(str(exc)) from exc
        raise PaymentGatewayError(getattr(exc, "user_message", None) or str(exc)) from exc


# --- PaymentIntents -------------------------------------------------------------------------------

_STATUS_MAP = {
    "requires_payment_method": Payment.Status.REQUIRES_ACTION,
    "requires_confirmation": Payment.Status.REQUIRES_ACTION,
    "requires_action": Payment.Status.REQUIRES_ACTION,
    "processing": Payment.Status.PROCESSING,
    "requires_capture": Payment.Status.AUTHORIZED,
    "succeeded": Payment.Status.SUCCEEDED,
    "canceled": Payment.Status.CANCELED,
}


def _our_status(state: gw.IntentState) -> str:
    if state.status == "requires_payment_method" and state.last_error:
        return Payment.Status.FAILED  # a declined attempt returns the intent to this state
    return _STATUS_MAP.get(state.status, Payment.Status.REQUIRES_ACTION)


def payment_start(*, order_id: int, payment_method: str | None = None) -> Payment:
    """Create (or reuse) the order's PaymentIntent for its total. The idempotency key is derived from
    the order and stored before the call, so a repeat returns the same intent."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = Payment.objects.filter(order=order).first()
        if payment is None:
            if order.status != OrderStatus.PENDING_PAYMENT:
                raise Conflict("Only an order awaiting payment can be paid.")
            payment = Payment.objects.create(
                order=order, amount=order.total, currency=order.currency,
                amount_minor=gw.to_minor_units(order.total, order.currency),
                idempotency_key=f"order:{order.pk}:payment-intent:v1",
            )
    if payment.intent_id:
        return payment
    state = _call(gw.gateway().create_intent, amount_minor=payment.amount_minor, currency=payment.currency,
                  idempotency_key=payment.idempotency_key, transfer_group=order.number,
                  metadata={"order_number": order.number, "order_id": str(order.pk)},
                  payment_method=payment_method)
    return payment_apply(payment_id=payment.pk, state=state)


def payment_sync(*, payment_id: int) -> Payment:
    """Re-read the PaymentIntent from Stripe and act on its current state (never on an event's copy)."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.intent_id:
        return payment_start(order_id=payment.order_id)
    state = _call(gw.gateway().retrieve_intent, payment.intent_id)
    return payment_apply(payment_id=payment.pk, state=state)


def payment_apply(*, payment_id: int, state: gw.IntentState) -> Payment:
    """Move our payment and order to match the intent's state, once. Idempotent."""
    cancel_intent = False
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        new = _our_status(state)
        if not payment.intent_id:
            payment.intent_id, payment.client_secret = state.intent_id, state.client_secret
        elif payment.status in (Payment.Status.SUCCEEDED, Payment.Status.CANCELED) or new == payment.status:
            return payment
        if state.amount_minor != payment.amount_minor or state.currency != payment.currency:
            log.error("PaymentIntent %s does not match payment %s", state.intent_id, payment.pk)
            return payment
        payment.status, payment.last_error = new, state.last_error
        if state.charge_id:
            payment.charge_id = state.charge_id
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        if new == Payment.Status.AUTHORIZED:
            # The buyer's money is secured: the order is paid and ships; the charge is taken on capture.
            payment.save()
            if order.status == OrderStatus.PENDING_PAYMENT:
                lifecycle.order_mark_paid(order_id=order.pk, note=f"PaymentIntent {state.intent_id} authorised.")
                declarations.order_declare_after_payment(order)
            return payment
        if new == Payment.Status.SUCCEEDED:
            payment.succeeded_at = timezone.now()
            if payment.captured_amount is None:
                payment.captured_amount = payment.amount
            payment.save()
            if order.status == OrderStatus.PENDING_PAYMENT:
                lifecycle.order_mark_paid(order_id=order.pk, note=f"PaymentIntent {state.intent_id} succeeded.")
                _ledger_charge(order, payment)
                declarations.order_declare_after_payment(order)  # customs, then fulfilment
            elif order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
                # Paid after the order expired or was cancelled: its stock is gone, so refund it all.
                _ledger_charge(order, payment)
                refund_request(order_id=order.pk, lines=None, reason=f"Paid after the order was {order.status}.",
                               actor=None, full=True)
            else:
                _ledger_charge(order, payment)  # captured after authorisation
            return payment
        payment.save()
        if new in (Payment.Status.FAILED, Payment.Status.CANCELED) and order.status == OrderStatus.PENDING_PAYMENT:
            lifecycle.order_transition(order_id=order.pk, to_status=OrderStatus.CANCELLED,
                                       note=f"Payment {new}: {state.last_error or state.status}",
                                       cancel_reason=f"Payment {new}")
            lifecycle.release_reservations(order)
            cancel_intent = new == Payment.Status.FAILED
        elif new in (Payment.Status.PROCESSING, Payment.Status.REQUIRES_ACTION):
            lifecycle.order_payment_hold(order_id=order.pk)  # never expire under a paying buyer
    if cancel_intent:
        # The order's stock went back on sale: the intent must not succeed later.
        try:
            _call(gw.gateway().cancel_intent, state.intent_id, idempotency_key=f"order:{payment.order_id}:pi-cancel")
        except PaymentGatewayError as exc:
            log.warning("Could not cancel PaymentIntent %s: %s", state.intent_id, exc)
    return payment


def payments_reconcile(*, older_than_minutes: int | None = None) -> int:
    """Beat: Stripe events we accepted but never processed (their task could not be queued, or was lost)
    are processed, orders still awaiting payment are checked against Stripe, and refunds and payouts
    still waiting for their task are made (with their stored idempotency keys, so Stripe acts once):
    neither a lost webhook nor a lost task leaves money unmoved. Returns the number of payments checked."""
    minutes = older_than_minutes if older_than_minutes is not None else settings.LIVEDOCK_RECONCILE_AFTER_MINUTES
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    stalled = WebhookEvent.objects.filter(processed_at__isnull=True, received_at__lte=cutoff)
    _reconcile_each("webhook event", stalled.order_by("received_at"), lambda pk: webhook_process(event_row_id=pk))
    pending = Payment.objects.filter(
        order__status=OrderStatus.PENDING_PAYMENT, created_at__lte=cutoff,
        status__in=[Payment.Status.CREATING, Payment.Status.REQUIRES_ACTION, Payment.Status.PROCESSING],
    )
    done = _reconcile_each("payment", pending, lambda pk: payment_sync(payment_id=pk))
    # Payouts before refunds: a refund reverses the share of a payout already paid, never of a pending one.
    payouts = Payout.objects.filter(status=Payout.Status.PENDING, created_at__lte=cutoff).order_by("pk")
    _reconcile_each("payout", payouts, lambda pk: payout_execute(payout_id=pk))
    refunds = Refund.objects.filter(status=Refund.Status.REQUESTED, created_at__lte=cutoff).order_by("pk")
    _reconcile_each("refund", refunds, lambda pk: refund_execute(refund_id=pk))
    return done


def _reconcile_each(kind: str, queryset, action) -> int:
    """Run `action` for each row id; a gateway failure is logged and left for the next run. Returns successes."""
    done = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            action(pk)
            done += 1
        except (TransientGatewayError, PaymentGatewayError) as exc:
            log.warning("Reconciliation of %s %s failed: %s", kind, pk, exc)
    return done


def payment_capture(*, order_id: int, exclude_lines: list[tuple[int, int]] | None = None) -> Payment:
    """Capture an authorised payment (manual capture): all of it, or less the units that will not
    ship (`exclude_lines` = [(order line id, quantity)]), which go back on sale and are never charged.
    The idempotency key and the amount are stored before the call."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(order_id=order_id)
        if payment.status != Payment.Status.AUTHORIZED:
            raise Conflict("Only an authorised payment can be captured.")
        order = Order.objects.select_for_update().get(pk=order_id)
        if payment.captured_amount is None:
            excluded = Decimal(0)
            for line_id, quantity in exclude_lines or []:
                line = OrderLine.objects.filter(pk=line_id, order=order).first()
                if line is None or quantity < 1 or not OrderLine.objects.filter(
                        pk=line_id, refunded_quantity__lte=F("quantity") - quantity).update(
                        refunded_quantity=F("refunded_quantity") + quantity):
                    raise InvalidInput("Exclude existing lines, at most their quantity.",
                                       fields={"exclude_lines": [f"Line {line_id}."]})
                _restock(line, quantity)
                excluded += quantize(line.unit_price * quantity, order.currency)
            payment.captured_amount = order.total - excluded
            if payment.captured_amount <= 0:
                raise InvalidInput("Nothing would be captured; cancel the order instead.")
            payment.save(update_fields=["captured_amount", "updated_at"])
    state = _call(gw.gateway().capture, payment.intent_id,
                  amount_minor=gw.to_minor_units(payment.captured_amount, payment.currency, charge=False),
                  idempotency_key=f"order:{order_id}:capture:v1")
    return payment_apply(payment_id=payment.pk, state=state)


# --- Webhooks ---------------------------------------------------------------------------------------

HANDLED_EVENTS = frozenset({
    "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
    "payment_intent.processing", "payment_intent.requires_action", "payment_intent.amount_capturable_updated",
})


@dataclass
class WebhookReceipt:
    event: WebhookEvent
    duplicate: bool


def webhook_receive(*, payload: bytes, signature: str) -> WebhookReceipt:
    """Verify the signature on the raw body, store the event once under its id, and queue processing
    after commit. Duplicates are acknowledged and ignored."""
    from ..tasks import process_webhook_event

    try:
        event = gw.gateway().construct_event(payload, signature)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise WebhookInvalid(str(exc).split("\n")[0][:200]) from exc
    data_object = event.data.object if getattr(event, "data", None) else None
    object_id = getattr(data_object, "id", "") or ""
    try:
        with transaction.atomic():
            row = WebhookEvent.objects.create(event_id=event.id, type=event.type, object_id=object_id,
                                              payload=event.to_dict())
            # robust: the event is stored; if the broker cannot take the task, Stripe still gets its 200 and
            # the reconciliation beat processes the event later.
            transaction.on_commit(lambda: process_webhook_event.delay(row.pk), robust=True)
        return WebhookReceipt(row, duplicate=False)
    except IntegrityError:
        return WebhookReceipt(WebhookEvent.objects.get(event_id=event.id), duplicate=True)


def webhook_process(*, event_row_id: int) -> str:
    """Act on a stored event. Re-reads the PaymentIntent first, so order and repeats do not matter."""
    with transaction.atomic():
        row = WebhookEvent.objects.select_for_update().get(pk=event_row_id)
        if row.processed_at:
            return row.outcome
    if row.type not in HANDLED_EVENTS:
        outcome = f"ignored: {row.type} is not an event we act on"
    else:
        payment = Payment.objects.filter(intent_id=row.object_id).first()
        if payment is None:
            outcome = f"ignored: unknown PaymentIntent {row.object_id}"
        else:
            payment = payment_sync(payment_id=payment.pk)
            outcome = f"payment {payment.pk} is {payment.status}"
    WebhookEvent.objects.filter(pk=row.pk, processed_at__isnull=True).update(processed_at=timezone.now(),
                                                                             outcome=outcome)
    return outcome


# --- Ledger -----------------------------------------------------------------------------------------

def _line_split(line: OrderLine, quantity: int, currency: str) -> tuple[Decimal, Decimal, Decimal]:
    """(manufacturer payable, platform fee, host commission) for `quantity` units of a line."""
    gross = quantize(line.unit_price * quantity, currency)
    fee = quantize(gross * settings.LIVEDOCK_PLATFORM_FEE_RATE, currency)
    commission = quantize(gross * line.host_commission_rate, currency)
    return gross - fee - commission, fee, commission


def _ledger_allocations(order: Order, lines_and_quantities, sign: int, stripe_id: str, memo: str,
                        extras: dict[str, Decimal] | None = None) -> list[LedgerEntry]:
    per_maker: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for line, quantity in lines_and_quantities:
        payable, fee, commission = _line_split(line, quantity, order.currency)
        bucket = per_maker[line.manufacturer_id]
        bucket[0] += payable
        bucket[1] += fee
        bucket[2] += commission
    entries = []
    for maker_id, (payable, fee, commission) in sorted(per_maker.items()):
        for kind, amount in ((Kind.MANUFACTURER_PAYABLE, payable), (Kind.PLATFORM_FEE, fee),
                             (Kind.HOST_COMMISSION, commission)):
            if amount:
                entries.append(LedgerEntry(order=order, kind=kind, manufacturer_id=maker_id, amount=sign * amount,
                                           currency=order.currency, stripe_object_id=stripe_id, memo=memo))
    for kind, amount in (extras or {}).items():
        if amount:
            entries.append(LedgerEntry(order=order, kind=kind, amount=sign * amount, currency=order.currency,
                                       stripe_object_id=stripe_id, memo=memo))
    return entries


def _ledger_charge(order: Order, payment: Payment) -> None:
    """The charge and its allocation. After a partial capture the units not captured are already
    counted as refunded on their lines, so the allocations sum to what was captured."""
    if LedgerEntry.objects.filter(order=order, kind=Kind.CHARGE).exists():
        return
    lines = [(line, line.quantity - line.refunded_quantity) for line in OrderLine.objects.filter(order=order)
             if line.quantity > line.refunded_quantity]
    charged = payment.captured_amount if payment.captured_amount is not None else order.total
    entries = [LedgerEntry(order=order, kind=Kind.CHARGE, amount=charged, currency=order.currency,
                           stripe_object_id=payment.charge_id or payment.intent_id or "", memo="Card payment")]
    entries += _ledger_allocations(order, lines, +1, payment.intent_id or "", "Allocation of the charge", {
        Kind.DUTIES_TAXES: order.duties_total + order.taxes_total, Kind.SHIPPING: order.shipping_total})
    LedgerEntry.objects.bulk_create(entries)


def ledger_balance(*, order: Order) -> dict[str, Decimal]:
    """Totals per kind for an order; `charge` - refunds equals the allocations when the ledger balances."""
    rows = LedgerEntry.objects.filter(order=order).values("kind").annotate(total=Sum("amount"))
    return {row["kind"]: row["total"] for row in rows}


# --- Refunds ----------------------------------------------------------------------------------------

FIT_VERDICTS = ("too_small", "right", "too_large", "too_narrow", "too_wide")

_REFUNDABLE = {OrderStatus.PAID, OrderStatus.IN_FULFILMENT, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
               OrderStatus.PARTIALLY_REFUNDED, OrderStatus.CANCELLED, OrderStatus.EXPIRED}


def refund_request(*, order_id: int, lines: list[tuple[int, int]] | None, reason: str, actor,
                   full: bool = False, fit_reasons: dict[int, str] | None = None) -> Refund:
    """Refund whole lines or units of lines (`lines` = [(order line id, quantity)]), or everything left
    (`full`, which also refunds duties, taxes and shipping). Over-refunds are refused. Units not yet
    shipped go back on sale now; the money moves in a worker (refund_execute)."""
    from ..tasks import execute_refund

    if not reason.strip():
        raise InvalidInput("Say why the money is refunded.", fields={"reason": ["Required."]})
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).first()
        if payment is None or order.status not in _REFUNDABLE:
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
            if fit_reason and fit_reason not in FIT_VERDICTS:
                raise InvalidInput("Unknown fit reason.", fields={"lines": [f"Line {line_id}: fit_reason."]})
            refund_lines.append(RefundLine(order_line=line, quantity=quantity, amount=value,
                                           restock=_restock(line, quantity), fit_reason=fit_reason))
        extras = {}
        if full:
            already = Refund.objects.filter(order=order).exclude(status=Refund.Status.FAILED)
            if not already.filter(reason__startswith="[extras]").exists():
                extras = {Kind.DUTIES_TAXES: order.duties_total + order.taxes_total,
                          Kind.SHIPPING: order.shipping_total}
                amount += sum(extras.values(), Decimal(0))
        refunded_before = Refund.objects.filter(order=order).exclude(status=Refund.Status.FAILED).aggregate(
            total=Sum("amount"))["total"] or Decimal(0)
        if amount <= 0:
            raise RefundNotPossible("Nothing is left to refund.")
        if refunded_before + amount > (payment.captured_amount or payment.amount):
            raise RefundNotPossible("That would refund more than was captured.")
        refund = Refund.objects.create(
            order=order, payment=payment, amount=amount, currency=order.currency,
            amount_minor=gw.to_minor_units(amount, order.currency, charge=False),
            reason=("[extras] " if extras else "") + reason.strip(), requested_by=actor,
            idempotency_key=f"order:{order.pk}:refund:{uuid.uuid4().hex}",
        )
        for refund_line in refund_lines:
            refund_line.refund = refund
        RefundLine.objects.bulk_create(refund_lines)
        for refund_line in refund_lines:
            if refund_line.fit_reason:  # a return for fit teaches the recommender like a fit report
                FitReport.objects.get_or_create(order_line=refund_line.order_line, defaults={
                    "product_id": refund_line.order_line.variant.product_id, "verdict": refund_line.fit_reason})
        # robust: the refund is recorded; if the broker cannot take the task, reconciliation executes it.
        transaction.on_commit(lambda: execute_refund.delay(refund.pk), robust=True)
        return refund


def _restock(line: OrderLine, quantity: int) -> bool:
    """Units of a line whose parcel has not shipped return to sale; shipped ones are with the buyer."""
    shipped = Shipment.objects.filter(pk=line.shipment_id,
                                      status__in=[Shipment.Status.SHIPPED, Shipment.Status.DELIVERED]).exists()
    if shipped or line.reservation_released:
        return False
    shop_services.stock_release(stock_level_id=line.stock_level_id, quantity=quantity)
    if line.refunded_quantity + quantity >= line.quantity:
        OrderLine.objects.filter(pk=line.pk).update(reservation_released=True)
    return True


def refund_execute(*, refund_id: int) -> Refund:
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED:
        # A repeat of the task: the run that recorded the refund may have died before reversing payouts.
        _reverse_paid_transfers(refund)
        return refund
    if refund.status != Refund.Status.REQUESTED:
        return refund
    try:
        stripe_id = _call(gw.gateway().refund, intent_id=refund.payment.intent_id, amount_minor=refund.amount_minor,
                          idempotency_key=refund.idempotency_key, metadata={"order_id": str(refund.order_id)})
    except PaymentGatewayError as exc:
        Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
            status=Refund.Status.FAILED, error=str(exc))
        raise
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != Refund.Status.REQUESTED:
            return refund
        refund.status, refund.stripe_refund_id, refund.completed_at = Refund.Status.SUCCEEDED, stripe_id, timezone.now()
        refund.save(update_fields=["status", "stripe_refund_id", "completed_at"])
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        lines = [(rl.order_line, rl.quantity) for rl in refund.lines.select_related("order_line")]
        extras = {}
        if refund.reason.startswith("[extras]"):
            extras = {Kind.DUTIES_TAXES: order.duties_total + order.taxes_total, Kind.SHIPPING: order.shipping_total}
        entries = [LedgerEntry(order=order, kind=Kind.REFUND, amount=-refund.amount, currency=order.currency,
                               stripe_object_id=stripe_id, memo=refund.reason[:300])]
        entries += _ledger_allocations(order, lines, -1, stripe_id, "Refund", extras)
        LedgerEntry.objects.bulk_create(entries)
        total_refunded = Refund.objects.filter(order=order, status=Refund.Status.SUCCEEDED).aggregate(
            total=Sum("amount"))["total"]
        target = OrderStatus.REFUNDED if total_refunded >= order.total else OrderStatus.PARTIALLY_REFUNDED
        if order.status not in (OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REFUNDED):
            lifecycle.order_transition(order_id=order.pk, to_status=target, note=f"Refund {refund.pk}: {refund.reason}")
    _reverse_paid_transfers(refund)
    return refund


def _reverse_paid_transfers(refund: Refund) -> None:
    """Where a manufacturer was already paid for refunded lines, take that share back."""
    owed_back: dict[int, Decimal] = defaultdict(Decimal)
    for refund_line in refund.lines.select_related("order_line"):
        payable, _fee, _commission = _line_split(refund_line.order_line, refund_line.quantity, refund.currency)
        owed_back[refund_line.order_line.manufacturer_id] += payable
    memo = f"Refund {refund.pk}"
    for maker_id, amount in owed_back.items():
        # Only a payout made before this refund reached the ledger paid out the refunded share.
        payout = Payout.objects.filter(order_id=refund.order_id, manufacturer_id=maker_id, status=Payout.Status.PAID,
                                       created_at__lt=refund.completed_at).first()
        if payout is None or LedgerEntry.objects.filter(order_id=refund.order_id, kind=Kind.TRANSFER_REVERSAL,
                                                        manufacturer_id=maker_id, memo=memo).exists():
            continue
        amount = min(amount, payout.amount - payout.reversed_amount)
        if amount <= 0:
            continue
        key = f"refund:{refund.pk}:reverse:{payout.pk}"
        reversal_id = _call(gw.gateway().reverse_transfer, transfer_id=payout.stripe_transfer_id,
                            amount_minor=gw.to_minor_units(amount, payout.currency, charge=False), idempotency_key=key)
        with transaction.atomic():
            Payout.objects.select_for_update().get(pk=payout.pk)  # one run records a reversal at a time
            if LedgerEntry.objects.filter(stripe_object_id=reversal_id).exists():
                continue
            Payout.objects.filter(pk=payout.pk).update(reversed_amount=F("reversed_amount") + amount)
            LedgerEntry.objects.create(order_id=refund.order_id, kind=Kind.TRANSFER_REVERSAL,
                                       manufacturer_id=maker_id, amount=-amount, currency=payout.currency,
                                       stripe_object_id=reversal_id, memo=memo)


# --- Payouts ----------------------------------------------------------------------------------------

def payouts_create_due(*, now=None) -> int:
    """Beat: for each order paid longer ago than the hold period, one payout per manufacturer for what
    the ledger says it is owed (after fees, commissions and refunds)."""
    from ..tasks import execute_payout

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=settings.LIVEDOCK_PAYOUT_HOLD_HOURS)
    orders = Order.objects.filter(payment__status=Payment.Status.SUCCEEDED, payment__succeeded_at__lte=cutoff,
                                  payouts__isnull=True).exclude(status=OrderStatus.REFUNDED).distinct()
    created = 0
    for order in orders:
        owed = list(LedgerEntry.objects.filter(order=order, kind=Kind.MANUFACTURER_PAYABLE)
                    .values("manufacturer_id").annotate(total=Sum("amount")))
        makers = shop_selectors.manufacturers_by_id(ids=[row["manufacturer_id"] for row in owed])
        with transaction.atomic():
            for row in owed:
                if row["total"] <= 0:
                    continue
                maker = makers[row["manufacturer_id"]]
                payout, was_created = Payout.objects.get_or_create(
                    order=order, recipient_kind=Payout.Recipient.MANUFACTURER, manufacturer=maker,
                    defaults={"amount": row["total"], "currency": order.currency,
                              "amount_minor": gw.to_minor_units(row["total"], order.currency, charge=False),
                              "destination_account": maker.payout_account_ref,
                              "status": Payout.Status.PENDING if maker.payout_account_ref
                              else Payout.Status.AWAITING_ACCOUNT,
                              "idempotency_key": f"order:{order.pk}:payout:manufacturer:{maker.pk}"})
                if was_created:
                    created += 1
                    if payout.status == Payout.Status.PENDING:
                        # robust: reconciliation executes a pending payout whose task was never queued.
                        transaction.on_commit(lambda pk=payout.pk: execute_payout.delay(pk), robust=True)
    return created


def payout_execute(*, payout_id: int) -> Payout:
    payout = Payout.objects.select_related("order__payment").get(pk=payout_id)
    if payout.status != Payout.Status.PENDING:
        return payout
    payment = payout.order.payment
    try:
        transfer_id = _call(gw.gateway().transfer, amount_minor=payout.amount_minor, currency=payout.currency,
                            destination=payout.destination_account, transfer_group=payout.order.number,
                            source_transaction=payment.charge_id, idempotency_key=payout.idempotency_key,
                            metadata={"order_number": payout.order.number, "payout_id": str(payout.pk)})
    except PaymentGatewayError as exc:
        Payout.objects.filter(pk=payout.pk, status=Payout.Status.PENDING).update(status=Payout.Status.FAILED,
                                                                                error=str(exc))
        raise
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status != Payout.Status.PENDING:
            return payout
        payout.status, payout.stripe_transfer_id, payout.paid_at = Payout.Status.PAID, transfer_id, timezone.now()
        payout.save(update_fields=["status", "stripe_transfer_id", "paid_at"])
        LedgerEntry.objects.create(order_id=payout.order_id, kind=Kind.TRANSFER, manufacturer=payout.manufacturer,
                                   host_id=payout.host_id, amount=payout.amount, currency=payout.currency,
                                   stripe_object_id=transfer_id, memo=f"Payout {payout.pk}")
    return payout
