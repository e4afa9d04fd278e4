"""PaymentIntents: started at checkout, brought up to date from Stripe, applied to the order, captured.

Every call to Stripe follows one pattern so that a retried or redelivered task never charges, refunds
or transfers twice: (1) in a transaction, lock our row, check it still needs the call, and make sure
its deterministic idempotency key is stored; (2) call Stripe with that key, outside any transaction;
(3) in a transaction, lock the row again and record the result only if nobody did meanwhile.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, InvalidInput
from customs import services as customs_services
from orders.models import Order, OrderLine, OrderStatus
from orders.services import lifecycle
from payments import gateway as gw
from payments.errors import PaymentGatewayError
from payments.models import Payment
from payments.services.ledger import _ledger_charge
from payments.services.refunds import _restock, refund_request
from shop.money import quantize, to_minor_units

log = logging.getLogger(__name__)


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
                amount_minor=to_minor_units(order.total, order.currency),
                idempotency_key=f"order:{order.pk}:payment-intent:v1",
            )
    if payment.intent_id:
        return payment
    state = gw.provider_call(gw.gateway().create_intent, amount_minor=payment.amount_minor, currency=payment.currency,
                  idempotency_key=payment.idempotency_key, transfer_group=order.number,
                  metadata={"order_number": order.number, "order_id": str(order.pk)},
                  payment_method=payment_method)
    return payment_apply(payment_id=payment.pk, state=state)


def payment_sync(*, payment_id: int) -> Payment:
    """Re-read the PaymentIntent from Stripe and act on its current state (never on an event's copy)."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.intent_id:
        return payment_start(order_id=payment.order_id)
    state = gw.provider_call(gw.gateway().retrieve_intent, payment.intent_id)
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
                customs_services.order_declare_after_payment(order)
            return payment
        if new == Payment.Status.SUCCEEDED:
            payment.succeeded_at = timezone.now()
            if payment.captured_amount is None:
                payment.captured_amount = payment.amount
            payment.save()
            if order.status == OrderStatus.PENDING_PAYMENT:
                lifecycle.order_mark_paid(order_id=order.pk, note=f"PaymentIntent {state.intent_id} succeeded.")
                _ledger_charge(order, payment)
                customs_services.order_declare_after_payment(order)  # customs, then fulfilment
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
            gw.provider_call(gw.gateway().cancel_intent, state.intent_id,
                             idempotency_key=f"order:{payment.order_id}:pi-cancel")
        except PaymentGatewayError as exc:
            log.warning("Could not cancel PaymentIntent %s: %s", state.intent_id, exc)
    return payment


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
    state = gw.provider_call(gw.gateway().capture, payment.intent_id,
                  amount_minor=to_minor_units(payment.captured_amount, payment.currency, charge=False),
                  idempotency_key=f"order:{order_id}:capture:v1")
    return payment_apply(payment_id=payment.pk, state=state)

