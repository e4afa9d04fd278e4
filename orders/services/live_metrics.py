"""Session and festival metrics from what was sold through live deals (orders owns the sales data;
livestream stores the rolled-up figures)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from livestream import services as live_services
from livestream.models import LiveSession, ViewReport
from shop import selectors as shop_selectors
from shop.money import quantize

from ..models import OrderLine, OrderStatus, Refund

COUNTED = [OrderStatus.PAID, OrderStatus.IN_FULFILMENT, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
           OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED]


def session_metrics_rollup(*, session_id: int) -> dict:
    """GMV per currency and in the reporting currency, orders, units, unique buyers, average order
    value, views, conversion (buyers / views), GMV per 1,000 views, refunds deducted, host commission."""
    reporting = settings.LIVEDOCK_DEFAULT_CURRENCY
    fx = shop_selectors.fx_table_get()
    lines = list(OrderLine.objects.filter(deal__session_id=session_id, order__status__in=COUNTED)
                 .select_related("order"))
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    commission = Decimal(0)
    for line in lines:
        by_currency[line.currency] += line.line_total
        rate = fx.quote(line.currency, reporting).rate
        commission += line.line_total * line.host_commission_rate * rate
    gmv = sum((amount * fx.quote(ccy, reporting).rate for ccy, amount in by_currency.items()), Decimal(0))
    orders = {line.order_id for line in lines}
    refunded = Decimal(0)
    for row in (Refund.objects.filter(order_id__in=orders, status=Refund.Status.SUCCEEDED)
                .values("currency").annotate(total=Sum("amount"))):
        refunded += row["total"] * fx.quote(row["currency"], reporting).rate
    views = ViewReport.objects.filter(session_id=session_id).order_by("-reported_at").values_list(
        "views", flat=True).first() or 0
    buyers = {line.order.buyer_id for line in lines}
    net = gmv - refunded
    values = {
        "reporting_currency": reporting,
        "gmv_by_currency": {ccy: str(quantize(amount, ccy)) for ccy, amount in sorted(by_currency.items())},
        "gmv": quantize(gmv, reporting), "refunds": quantize(refunded, reporting), "orders": len(orders),
        "units": sum(line.quantity for line in lines), "unique_buyers": len(buyers),
        "average_order_value": quantize(net / len(orders), reporting) if orders else Decimal(0),
        "views": views,
        "conversion_rate": (Decimal(len(buyers)) / views).quantize(Decimal("0.00001")) if views else Decimal(0),
        "gmv_per_thousand_views": quantize(net * 1000 / views, reporting) if views else Decimal(0),
        "host_commission": quantize(commission, reporting),
    }
    live_services.session_metrics_save(session_id=session_id, values=values)
    return values


def live_metrics_rollup_recent() -> int:
    """Beat: every session live now or ended in the last two days."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(days=2)
    ids = LiveSession.objects.filter(status__in=["live", "ended"], ends_at__gte=since).values_list("pk", flat=True)
    for session_id in ids:
        session_metrics_rollup(session_id=session_id)
    return len(ids)
