"""Session and festival metrics from what was sold through live deals (orders owns the sales data;
livestream stores the rolled-up figures)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from livestream import services as live_services
from livestream.models import LiveSession, ViewReport
from orders.models import PAYMENT_TAKEN, OrderLine
from payments.models import Refund
from shop import selectors as shop_selectors
from shop.money import quantize

COUNTED = PAYMENT_TAKEN  # paid for: refunds are deducted from the sales, they do not undo them


def session_metrics_rollup(*, session_id: int) -> dict:
    """GMV per currency and in the reporting currency, orders, units, unique buyers, average order
    value, views, conversion (buyers / views), GMV per 1,000 views, refunds deducted, host commission."""
    reporting = settings.LIVEDOCK_DEFAULT_CURRENCY
    fx = shop_selectors.fx_table_get()
    lines = list(OrderLine.objects.filter(deal__session_id=session_id, order__payment_status__in=COUNTED)
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
    since = timezone.now() - timedelta(days=2)
    ids = LiveSession.objects.filter(status__in=["live", "ended"], ends_at__gte=since).values_list("pk", flat=True)
    for session_id in ids:
        session_metrics_rollup(session_id=session_id)
    return len(ids)


def session_gmv_by_minute(*, session_id: int) -> list[tuple[int, Decimal]]:
    """GMV in the reporting currency per minute since the session started (paid orders)."""
    session = LiveSession.objects.get(pk=session_id)
    start = session.went_live_at or session.starts_at
    reporting = settings.LIVEDOCK_DEFAULT_CURRENCY
    fx = shop_selectors.fx_table_get()
    buckets: dict[int, Decimal] = defaultdict(Decimal)
    lines = (OrderLine.objects.filter(deal__session_id=session_id, order__payment_status__in=COUNTED)
             .select_related("order"))
    for line in lines:
        minute = max(0, int((line.order.created_at - start).total_seconds() // 60))
        buckets[minute] += line.line_total * fx.quote(line.currency, reporting).rate
    return [(minute, quantize(amount, reporting)) for minute, amount in sorted(buckets.items())]


def gmv_chart_svg(*, points: list[tuple[int, Decimal]], currency: str, width: int = 720, height: int = 220) -> str:
    """Bars of GMV per minute of the session."""
    if not points:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40"><text x="4" y="24">No sales yet.' \
               "</text></svg>"
    last = max(minute for minute, _ in points) + 1
    top = max(amount for _, amount in points) or Decimal(1)
    bar = max(1.0, (width - 60) / last)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11" role="img" aria-label="GMV per minute">',
             f'<text x="4" y="14">GMV per minute ({currency}), peak {top}</text>']
    for minute, amount in points:
        h = float(amount / top) * (height - 40)
        parts.append(f'<rect x="{50 + minute * bar:.1f}" y="{height - 20 - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                     f'height="{h:.1f}" fill="#4a90d9"><title>minute {minute}: {amount}</title></rect>')
    parts.append(f'<text x="50" y="{height - 4}">0 min</text><text x="{width - 60}" y="{height - 4}">{last} min</text>')
    parts.append("</svg>")
    return "".join(parts)
