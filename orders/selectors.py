"""Reads for buyers: priced carts and their own orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from config.errors import NotFound
from config.metrics import gauge
from landed_cost import selectors as landed_cost
from landed_cost.calculator import Breakdown
from livestream import selectors as live_selectors
from orders.errors import CartEmpty
from shop import selectors as shop_selectors
from shop.money import quantize
from shop.selectors import FxQuote, FxTable

from .models import CartLine, Order, OrderEvent, OrderLine


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
    fx: FxTable | None = None  # the rates the lines were priced at

    @property
    def problems(self) -> dict[str, list[str]]:
        return {str(p.line.pk): p.problems for p in self.lines if p.problems}


def cart_lines(*, buyer=None, cart_id: int | None = None) -> list[CartLine]:
    """The cart's lines in the order they were added, each with its variant, product and manufacturer."""
    lines = CartLine.objects.filter(cart_id=cart_id) if cart_id is not None else CartLine.objects.filter(
        cart__buyer=buyer)
    return list(lines.select_related("variant__product__manufacturer").order_by("added_at", "id"))


def cart_stock(lines: list[CartLine]) -> dict:
    """The stock rows of the cart's variants, in allocation order (one query)."""
    return shop_selectors.stock_candidates(variants=[line.variant for line in lines]) if lines else {}


def units_free(stock: dict, variant_id: int) -> int:
    return sum(max(level.on_hand - level.reserved, 0) for level in stock.get(variant_id, []))


def cart_deal_units(lines: list[CartLine]) -> dict[tuple[int, int], int]:
    """(deal id, variant id) -> units the deals of the cart's deal lines set aside in those sizes (one query,
    none without a deal line)."""
    deal_ids = {line.deal_id for line in lines if line.deal_id}
    return live_selectors.deal_units_by_size(deal_ids=deal_ids) if deal_ids else {}


def cart_priced(*, buyer, currency: str) -> PricedCart:
    """The buyer's cart with every line priced in `currency` at the rates in force now, and what is
    wrong with any line (no longer for sale, not enough stock)."""
    lines = cart_lines(buyer=buyer)
    return cart_priced_from(lines=lines, stock=cart_stock(lines), currency=currency)


def cart_priced_from(*, lines: list[CartLine], stock: dict, currency: str,
                     deal_units: dict[tuple[int, int], int] | None = None) -> PricedCart:
    """Price cart lines already read (with their variants, see cart_lines) against their stock rows: one
    query for the prices, the FX table from this process's copy, and the deals of deal lines with the units
    they set aside (`deal_units`, when the caller read them already)."""
    shop_selectors.prices_attach(variants=[line.variant for line in lines])
    fx = shop_selectors.fx_table_get()
    deals: dict = {}
    if any(line.deal_id for line in lines):
        deals = live_selectors.deals_by_id(deal_ids={line.deal_id for line in lines if line.deal_id})
        deal_units = cart_deal_units(lines) if deal_units is None else deal_units
    deal_units = deal_units or {}
    priced: list[PricedLine] = []
    total = Decimal(0)
    for line in lines:
        variant = line.variant
        if line.deal_id:  # what the deal set aside in this size, not free stock
            available = deal_units.get((line.deal_id, line.variant_id), 0)
        else:
            available = units_free(stock, line.variant_id)
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
    return PricedCart(currency, priced, quantize(total, currency), stock, fx)


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


def cart_landed_cost_quote(*, buyer, destination: str, currency: str) -> Breakdown:
    """Duties, taxes and shipping of the buyer's cart to a destination, before checkout."""
    cart = cart_priced(buyer=buyer, currency=currency)
    if not cart.lines:
        raise CartEmpty(fields={"lines": ["Nothing to quote."]})
    return landed_cost.quote_lines(
        destination=destination, currency=currency, fx=cart.fx,
        lines=[landed_cost.quote_line_for(p.variant, p.line.quantity, p.unit_price) for p in cart.lines],
        parcels=landed_cost.parcels_by_manufacturer([(p.variant, p.line.quantity) for p in cart.lines]))


def metrics_gauges():
    """State gauge for the metrics scrape: orders by status."""
    counts = Order.objects.values("status").annotate(n=Count("pk")).order_by()
    yield gauge("livedock_orders", "Orders by status.", "status", {row["status"]: row["n"] for row in counts})
