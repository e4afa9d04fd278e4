"""Reads of payments, refunds and payouts."""

from __future__ import annotations

from django.db.models import Count

from config.metrics import gauge
from payments.models import Payout, Refund


def metrics_gauges():
    """State gauges for the metrics scrape: refunds and payouts by status."""
    for name, description, model in (("livedock_refunds", "Refunds by status.", Refund),
                                     ("livedock_payouts", "Payouts by status.", Payout)):
        counts = model.objects.values("status").annotate(n=Count("pk")).order_by()
        yield gauge(name, description, "status", {row["status"]: row["n"] for row in counts})
