"""Orders paid by card through the local Stripe-compatible server, with Stripe's own SDK over HTTP."""

from orders.models import OrderStatus
from payments.services import intents as payment_intents
from tests.orders.factories import order_placed
from tests.payments.helpers import pay_with


def order_paid_at_stripe(variants_and_quantities, *, key: str = "paid-order-key", currency: str = "EUR"):
    """Placed, its PaymentIntent started and confirmed with a test card as the buyer's browser would:
    paid at Stripe, and not yet known to be paid here (no webhook, no sync). Returns (order, payment)."""
    order = order_placed(variants_and_quantities, key=key, currency=currency)
    payment = payment_intents.payment_start(order_id=order.pk)
    pay_with(payment.intent_id)
    return order, payment


def order_pay(order):
    """Pay a placed order at Stripe and record it as paid (the intent brought up to date, the ledger written)."""
    payment = payment_intents.payment_start(order_id=order.pk)
    pay_with(payment.intent_id)
    payment_intents.payment_sync(payment_id=payment.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID, order.status
    return order


def paid_order(variants_and_quantities, *, key: str = "paid-order-key", currency: str = "EUR"):
    """A fresh buyer's cart placed and paid."""
    return order_pay(order_placed(variants_and_quantities, key=key, currency=currency))
