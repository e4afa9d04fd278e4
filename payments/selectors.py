"""Reads of payments, refunds and payouts."""

from __future__ import annotations

from django.db.models import Count

from config.errors import NotFound
from config.metrics import gauge
from orders.models import Order
from payments.models import Payment, Payout, Refund


def payment_of_order(*, buyer, number: str) -> Payment:
    """The payment of one of the buyer's own orders, in one query: what the buyer's page polls for the client
    secret. Another buyer's order is not found, as is an order whose payment has not been asked for."""
    payment = Payment.objects.filter(order__buyer=buyer, order__number=number).first()
    if payment is None:
        if Order.objects.filter(buyer=buyer, number=number).exists():
            raise NotFound("No payment has been started for this order: POST to start it.")
        raise NotFound("No such order.")
    return payment


def metrics_gauges():
    """State gauges for the metrics scrape: refunds and payouts by status."""
    for name, description, model in (("livedock_refunds", "Refunds by status.", Refund),
                                     ("livedock_payouts", "Payouts by status.", Payout)):
        counts = model.objects.values("status").annotate(n=Count("pk")).order_by()
        yield gauge(name, description, "status", {row["status"]: row["n"] for row in counts})
