"""PaymentIntents: asked for at checkout and created by a worker, brought up to date from Stripe, applied to
the order, captured.

Creating and capturing an intent go through the one protocol of calls to Stripe (payments/services/provider.py).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, InvalidInput
from config.task_queue import enqueue_on_commit
from customs import services as customs_services
from orders.models import Order, OrderLine, OrderPaymentStatus, OrderStatus
from orders.services import lifecycle
from payments import gateway as gw
from payments.errors import PaymentGatewayError, ProviderObjectMissing
from payments.models import Payment
from payments.services.ledger import _ledger_charge
from payments.services.provider import ProviderCall, connection_to_pool, provider_once
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


# The payment's intent waits for the buyer's card: it can be checked with Stripe, and replaced if Stripe forgot it.
_AWAITING_BUYER = (Payment.Status.REQUIRES_ACTION,)


def _our_status(state: gw.IntentState) -> str:
    if state.status == "requires_payment_method" and state.last_error:
        return Payment.Status.FAILED  # a declined attempt returns the intent to this state
    return _STATUS_MAP.get(state.status, Payment.Status.REQUIRES_ACTION)


def _payment_of(order: Order) -> Payment:
    """The order's payment row (locked), created with its amount and idempotency key if there is none yet.
    The caller holds the order's row lock."""
    payment = Payment.objects.select_for_update().filter(order=order).first()
    if payment is None:
        if order.status != OrderStatus.PENDING_PAYMENT:
            raise Conflict("Only an order awaiting payment can be paid.")
        payment = Payment.objects.create(
            order=order, amount=order.total, currency=order.currency,
            amount_minor=to_minor_units(order.total, order.currency),
            idempotency_key=f"order:{order.pk}:payment-intent:v1",
        )
    return payment


def payment_request(*, order_id: int) -> Payment:
    """Ask for the order's PaymentIntent without waiting for Stripe: the payment is stored in `creating` with
    its idempotency key, and a worker creates the intent (`payments.create_intent`, queued after commit, on
    the payments queue). A payment whose intent exists is returned as it is, with its client secret; one
    whose creation failed is asked for again. Repeating this queues the task again, which is harmless: the
    task creates nothing twice."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = _payment_of(order)
        if payment.intent_id:
            if order.status == OrderStatus.PENDING_PAYMENT and payment.status in _AWAITING_BUYER:
                # the buyer asks again: the worker checks the intent with Stripe (and replaces one it forgot)
                enqueue_on_commit("payments.create_intent", payment.pk)
            return payment
        if order.status != OrderStatus.PENDING_PAYMENT:
            raise Conflict("Only an order awaiting payment can be paid.")
        if payment.status != Payment.Status.CREATING:
            payment.status, payment.last_error = Payment.Status.CREATING, ""
            payment.save(update_fields=["status", "last_error", "updated_at"])
        # robust: the payment is recorded; if the broker cannot take the task, the buyer asks again or
        # reconciliation creates the intent.
        enqueue_on_commit("payments.create_intent", payment.pk)
    return payment


def payment_intent_create(*, payment_id: int) -> Payment | None:
    """The worker's half of payment_request: create the payment's PaymentIntent (see payment_start), or check
    the one it has with Stripe (payment_sync). None if the payment no longer exists."""
    payment = Payment.objects.filter(pk=payment_id).only("order_id", "intent_id", "status").first()
    if payment is None:
        return None
    if payment.intent_id and payment.status in _AWAITING_BUYER:
        return payment_sync(payment_id=payment.pk)
    return payment_start(order_id=payment.order_id)


def payment_start(*, order_id: int, payment_method: str | None = None) -> Payment:
    """Create (or reuse) the order's PaymentIntent for its total, calling Stripe now: the worker's task, the
    reconciliation beat, and server-side payments (tests, the offline demo) come here; buyers' requests go
    through payment_request. The idempotency key is derived from the order and stored before the call, so a
    repeat, even at the same moment, gets the same intent from Stripe, and an intent already recorded is not
    asked for again. An order that expired or was cancelled before its intent existed gets none (its payment
    is cancelled). A failure is recorded on the payment (`unavailable`, with Stripe's message) and raised:
    the task retries transient ones, and the buyer can ask again."""

    def prepare() -> ProviderCall | None:
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = _payment_of(order)
        if payment.intent_id:
            return None
        if order.status != OrderStatus.PENDING_PAYMENT:
            if payment.status != Payment.Status.CANCELED:
                payment.status, payment.last_error = Payment.Status.CANCELED, f"The order is {order.status}."
                payment.save(update_fields=["status", "last_error", "updated_at"])
            return None
        return ProviderCall(gw.gateway().create_intent, context=payment.pk, kwargs={
            "amount_minor": payment.amount_minor, "currency": payment.currency,
            "idempotency_key": payment.idempotency_key, "transfer_group": order.number,
            "metadata": {"order_number": order.number, "order_id": str(order.pk)}, "payment_method": payment_method})

    def unavailable(exc: Exception, call: ProviderCall) -> None:
        Payment.objects.filter(pk=call.context, intent_id__isnull=True).update(
            status=Payment.Status.UNAVAILABLE, last_error=str(exc)[:2000], updated_at=timezone.now())

    return provider_once(prepare=prepare, unavailable=unavailable,
                         record=lambda state, call: payment_apply(payment_id=call.context, state=state),
                         done=lambda: Payment.objects.get(order_id=order_id))


def payment_sync(*, payment_id: int) -> Payment:
    """Re-read the PaymentIntent from Stripe and act on its current state (never on an event's copy)."""
    payment = Payment.objects.get(pk=payment_id)
    if not payment.intent_id:
        return payment_start(order_id=payment.order_id)
    connection_to_pool()
    try:
        state = gw.provider_call(gw.gateway().retrieve_intent, payment.intent_id)
    except ProviderObjectMissing:
        if _intent_replaced(payment_id=payment.pk, stale_intent_id=payment.intent_id):
            return payment_start(order_id=payment.order_id)
        return Payment.objects.get(pk=payment.pk)
    return payment_apply(payment_id=payment.pk, state=state)


def _intent_replaced(*, payment_id: int, stale_intent_id: str) -> bool:
    """Stripe no longer knows the payment's intent (404): while the order still awaits payment and nothing was
    paid on it, forget it and take the next idempotency key (`...:v2`), so the next call creates a new intent.
    Once per stale intent: a second caller finds it replaced already. False: left as it is."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(payment__pk=payment_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.intent_id != stale_intent_id or order.status != OrderStatus.PENDING_PAYMENT \
                or payment.status not in _AWAITING_BUYER:
            return False
        stem, _, version = payment.idempotency_key.rpartition(":v")
        log.warning("PaymentIntent %s of payment %s is unknown to the provider: replaced", stale_intent_id, payment.pk)
        payment.idempotency_key = f"{stem}:v{int(version) + 1}"
        payment.intent_id, payment.client_secret, payment.charge_id = None, "", ""
        payment.status, payment.last_error = Payment.Status.CREATING, f"PaymentIntent {stale_intent_id} unknown to " \
                                                                       "the provider; replaced."
        payment.save(update_fields=["idempotency_key", "intent_id", "client_secret", "charge_id", "status",
                                    "last_error", "updated_at"])
        return True


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
            if order.payment_status == OrderPaymentStatus.UNPAID:
                lifecycle.order_payment_status_set(order_id=order.pk, payment_status=OrderPaymentStatus.AUTHORIZED)
            if order.status == OrderStatus.PENDING_PAYMENT:
                lifecycle.order_mark_paid(order_id=order.pk, note=f"PaymentIntent {state.intent_id} authorised.")
                customs_services.order_declare_after_payment(order)
            return payment
        if new == Payment.Status.SUCCEEDED:
            payment.succeeded_at = timezone.now()
            if payment.captured_amount is None:
                payment.captured_amount = payment.amount
            payment.save()
            if order.payment_status in (OrderPaymentStatus.UNPAID, OrderPaymentStatus.AUTHORIZED):
                lifecycle.order_payment_status_set(order_id=order.pk, payment_status=OrderPaymentStatus.PAID)
            if order.status == OrderStatus.PENDING_PAYMENT:
                lifecycle.order_mark_paid(order_id=order.pk, note=f"PaymentIntent {state.intent_id} succeeded.")
                _ledger_charge(order, payment)
                customs_services.order_declare_after_payment(order)  # customs, then fulfilment
            elif order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
                # Paid after the order expired or was cancelled: its stock is gone, so refund it all.
                _ledger_charge(order, payment)
                refund_request(order_id=order.pk, lines=None, reason=f"Paid after the order was {order.status}.",
                               actor=None, full=True, idempotency_key=f"paid-after-{order.status}")
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


def payment_capture_shipped(*, order_id: int) -> Payment | None:
    """Manual capture: a parcel of the order has shipped, so its authorised payment is captured, once, for
    everything (Stripe captures an authorisation once; units that do not ship after that are refunded). A
    payment not authorised (automatic capture, captured already, or none) is left as it is."""
    payment = Payment.objects.filter(order_id=order_id).first()
    if payment is None or payment.status != Payment.Status.AUTHORIZED:
        return payment
    try:
        return payment_capture(order_id=order_id)
    except Conflict:  # captured by another run meanwhile
        return Payment.objects.get(pk=payment.pk)


def payment_capture(*, order_id: int, exclude_lines: list[tuple[int, int]] | None = None) -> Payment:
    """Capture an authorised payment (manual capture): all of it, or less the units that will not
    ship (`exclude_lines` = [(order line id, quantity)]), which go back on sale and are never charged.
    The idempotency key and the amount are stored before the call."""

    def prepare() -> ProviderCall:
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
        return ProviderCall(gw.gateway().capture, args=(payment.intent_id,), context=payment.pk, kwargs={
            "amount_minor": to_minor_units(payment.captured_amount, payment.currency, charge=False),
            "idempotency_key": f"order:{order_id}:capture:v1"})

    return provider_once(prepare=prepare, done=lambda: None,
                         record=lambda state, call: payment_apply(payment_id=call.context, state=state))

