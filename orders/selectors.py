"""Reads for buyers: priced carts and their own orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from prometheus_client.core import GaugeMetricFamily

from config.errors import NotFound
from config.metrics import gauge
from shop import selectors as shop_selectors
from shop.money import quantize
from shop.selectors import FxQuote

from .models import Address, CartLine, CustomsDeclaration, Order, OrderEvent, OrderLine, Payout, Refund


@dataclass
class PricedLine:
    line: CartLine
    variant: object
    unit_price: Decimal | None
    line_total: Decimal | None
    fx: FxQuote | None
    list_price: Decimal | None
    list_currency: str
    available: int
    problems: list[str] = field(default_factory=list)


@dataclass
class PricedCart:
    currency: str
    lines: list[PricedLine]
    goods_total: Decimal
    stock: dict = field(default_factory=dict)  # variant id -> stock rows in allocation order

    @property
    def problems(self) -> dict[str, list[str]]:
        return {str(p.line.pk): p.problems for p in self.lines if p.problems}


def cart_priced(*, buyer, currency: str) -> PricedCart:
    """The buyer's cart with every line priced in `currency` at the rates in force now, and what is
    wrong with any line (no longer for sale, not enough stock)."""
    lines = list(CartLine.objects.filter(cart__buyer=buyer).order_by("added_at", "id"))
    variant_ids = [line.variant_id for line in lines]
    variants = shop_selectors.variants_for_sale(variant_ids=variant_ids)
    stock = shop_selectors.stock_candidates(variant_ids=variant_ids)
    fx = shop_selectors.fx_table_get()
    deals = {}
    if any(line.deal_id for line in lines):
        from livestream import selectors as live_selectors

        deals = live_selectors.deals_by_id(deal_ids={line.deal_id for line in lines if line.deal_id})
    priced: list[PricedLine] = []
    total = Decimal(0)
    for line in lines:
        variant = variants[line.variant_id]
        available = sum(max(lv.on_hand - lv.reserved, 0) for lv in stock.get(line.variant_id, []))
        problems = []
        if not shop_selectors.variant_is_sellable(variant):
            problems.append("No longer for sale.")
        if line.quantity > available:
            problems.append(f"Only {available} available.")
        deal = deals.get(line.deal_id)
        if deal is not None:
            quote = fx.quote(deal.currency, currency)
            found = (quantize(deal.deal_price * quote.rate, currency), quote)
        else:
            found = shop_selectors.variant_price(variant=variant, currency=currency, fx=fx)
        if found is None:
            problems.append("No price.")
            unit_price = line_total = quote = list_price = None
            list_currency = ""
        else:
            unit_price, quote = found
            line_total = quantize(unit_price * line.quantity, currency)
            total += line_total
            list_currency = quote.base
            prices = {p.currency: p.amount for p in variant.prices.all()}
            list_price = deal.deal_price if deal is not None else prices.get(list_currency, unit_price)
        priced.append(PricedLine(line, variant, unit_price, line_total, quote, list_price, list_currency,
                                 available, problems))
    return PricedCart(currency, priced, quantize(total, currency), stock)


def order_list(*, buyer) -> QuerySet[Order]:
    return Order.objects.filter(buyer=buyer).prefetch_related("lines").order_by("-created_at", "-id")


def order_get(*, buyer, number: str) -> Order:
    """One of the buyer's own orders; another buyer's number is simply not found."""
    order = (
        Order.objects.filter(buyer=buyer, number=number)
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
            "shipments",
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "id")),
        )
        .first()
    )
    if order is None:
        raise NotFound("No such order.")
    return order


def address_list(*, buyer) -> QuerySet[Address]:
    return Address.objects.filter(buyer=buyer).order_by("-created_at", "-id")


def variants_priced(*, lines: list[tuple[str, int]], currency: str) -> list[tuple[object, int, Decimal]]:
    """(variant, quantity, unit price in `currency`) for SKUs; unknown or unpriced SKUs are a 400."""
    from config.errors import InvalidInput

    ids = {sku: shop_selectors.variant_id_by_sku(sku=sku) for sku, _ in lines}
    variants = shop_selectors.variants_for_sale(variant_ids=list(ids.values()))
    fx = shop_selectors.fx_table_get()
    priced = []
    for sku, quantity in lines:
        variant = variants[ids[sku]]
        found = shop_selectors.variant_price(variant=variant, currency=currency, fx=fx)
        if found is None or not shop_selectors.variant_is_sellable(variant):
            raise InvalidInput(f"{sku} is not for sale.", fields={"variant": [f"{sku}: not for sale."]})
        priced.append((variant, quantity, found[0]))
    return priced


def metrics_gauges():
    """State gauges for the metrics scrape: orders, declarations, refunds and payouts by status."""
    def counts(queryset, *fields):
        return queryset.values(*fields).annotate(n=Count("pk")).order_by()

    yield gauge("livedock_orders", "Orders by status.", "status",
                {row["status"]: row["n"] for row in counts(Order.objects, "status")})
    declarations = GaugeMetricFamily("livedock_customs_declarations", "Customs declarations by message type and "
                                     "status.", labels=["message_type", "status"])
    for row in counts(CustomsDeclaration.objects, "message_type", "status"):
        declarations.add_metric([row["message_type"], row["status"]], row["n"])
    yield declarations
    yield gauge("livedock_refunds", "Refunds by status.", "status",
                {row["status"]: row["n"] for row in counts(Refund.objects, "status")})
    yield gauge("livedock_payouts", "Payouts by status.", "status",
                {row["status"]: row["n"] for row in counts(Payout.objects, "status")})
