"""Checkout from start to the payment step: the order is placed (orders), then its PaymentIntent is
created so the answer carries the client secret. One service, whatever calls it (API, admin, a worker)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from accounts.selectors import buyer_currency
from orders.models import Order, OrderStatus
from orders.services.checkout import order_place
from payments.errors import PaymentGatewayError, TransientGatewayError
from payments.models import Payment
from payments.services.intents import payment_start

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    replayed: bool
    payment: Payment | None
    payment_unavailable: bool  # the provider could not be reached: the order stands, payment is retried


def checkout_complete(*, buyer, address_id: int, currency: str | None, idempotency_key: str,
                      request_hash: str) -> CheckoutResult:
    placed = order_place(buyer=buyer, address_id=address_id,
                         currency=buyer_currency(buyer=buyer, requested=currency),
                         idempotency_key=idempotency_key, request_hash=request_hash)
    order = placed.order
    if order.status != OrderStatus.PENDING_PAYMENT:
        return CheckoutResult(order, placed.replayed, Payment.objects.filter(order=order).first(), False)
    try:
        payment = payment_start(order_id=order.pk)
    except (TransientGatewayError, PaymentGatewayError):
        # The order stands; the buyer retries with POST /orders/{number}/payment/.
        log.warning("PaymentIntent for order %s could not be created now", order.number, exc_info=True)
        return CheckoutResult(order, placed.replayed, None, True)
    return CheckoutResult(order, placed.replayed, payment, False)
