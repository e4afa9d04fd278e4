"""Reads of customs filings."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from customs.models import CustomsDeclaration


def metrics_gauges():
    """State gauge for the metrics scrape: declarations by message type and status."""
    declarations = GaugeMetricFamily("livedock_customs_declarations", "Customs declarations by message type and "
                                     "status.", labels=["message_type", "status"])
    counts = CustomsDeclaration.objects.values("message_type", "status").annotate(n=Count("pk")).order_by()
    for row in counts:
        declarations.add_metric([row["message_type"], row["status"]], row["n"])
    yield declarations
