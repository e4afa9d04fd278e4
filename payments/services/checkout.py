"""Checkout from start to the payment step: the order is placed (orders), then its payment is asked for. A
worker creates the PaymentIntent, so no request waits on Stripe: the answer carries the payment in
`creating`, and the buyer gets the client secret from `GET /api/v1/orders/{number}/payment/`. One service,
whatever calls it (API, admin, a worker)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.selectors import buyer_currency
from orders.models import Order, OrderStatus
from orders.services.checkout import order_place
from payments.models import Payment
from payments.services.intents import payment_request


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    replayed: bool
    payment: Payment | None


def checkout_complete(*, buyer, address_id: int, currency: str | None, idempotency_key: str,
                      request_hash: str) -> CheckoutResult:
    placed = order_place(buyer=buyer, address_id=address_id,
                         currency=buyer_currency(buyer=buyer, requested=currency),
                         idempotency_key=idempotency_key, request_hash=request_hash)
    order = placed.order
    if order.status != OrderStatus.PENDING_PAYMENT:  # a replay of an order paid, cancelled or expired since
        return CheckoutResult(order, placed.replayed, Payment.objects.filter(order=order).first())
    return CheckoutResult(order, placed.replayed, payment_request(order_id=order.pk))
