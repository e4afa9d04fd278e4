"""Reads of the catalog. Other apps read shop's models through these functions."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from config.errors import NotFound
from config.metrics import gauge

from .catalog_cache import catalog_cache
from .errors import FxRateUnavailable, UnsupportedCurrency, VariantUnavailable
from .facet_index import facet_index
from .models import Brand, Category, FxRate, Manufacturer, Price, Product, ProductImage, StockLevel, Variant
from .money import RATE_PLACES, convert, currency_exponent
from .search import (
    Facets,
    ProductFilters,
    facets_build,
    price_band_range,
    price_bands,
    products_search_apply,
)
from .table_versions import VersionedCopies
from .translations import texts_annotated


@dataclass(frozen=True)
class FxQuote:
    """The rate used for one conversion, with where it came from (snapshotted onto orders)."""

    base: str
    quote: str
    rate: Decimal
    as_of: dt.date | None
    source: str


class FxTable:
    """The FX rates in force on a day: the newest published rate per pair on or before that day.

    Rates convert directly, by inverse, or through a currency both sides are quoted against (the
    demo file is quoted against USD, an ECB file against EUR).
    """

    def __init__(self, rows: list[FxRate]):
        self._rates: dict[tuple[str, str], FxRate] = {}
        for row in rows:  # rows come newest first; keep the first seen per pair
            self._rates.setdefault((row.base, row.quote), row)

    def _direct(self, base: str, quote: str) -> tuple[Decimal, list[FxRate]] | None:
        row = self._rates.get((base, quote))
        if row is not None:
            return row.rate, [row]
        row = self._rates.get((quote, base))
        if row is not None:
            return Decimal(1) / row.rate, [row]
        return None

    def currencies(self) -> set[str]:
        """Every currency a rate on file names."""
        return {code for pair in self._rates for code in pair}

    def quote(self, base: str, quote: str) -> FxQuote:
        if base == quote:
            return FxQuote(base, quote, Decimal(1), None, "identity")
        found = self._direct(base, quote)
        if found is None:
            pivots = {c for pair in self._rates for c in pair} - {base, quote}
            for pivot in sorted(pivots):
                leg1, leg2 = self._direct(base, pivot), self._direct(pivot, quote)
                if leg1 and leg2:
                    found = (leg1[0] * leg2[0], leg1[1] + leg2[1])
                    break
        if found is None:
            raise FxRateUnavailable(f"No exchange rate from {base} to {quote} is on file.",
                                    fields={"currency": [f"No rate {base}->{quote}."]})
        rate, rows = found
        as_of = min(r.as_of for r in rows)
        source = "; ".join(sorted({f"{r.source} ({r.base}/{r.quote} {r.as_of})" for r in rows}))
        return FxQuote(base, quote, rate.quantize(RATE_PLACES), as_of, source)


_fx_tables = VersionedCopies("fx_rates")


def fx_table_get(*, on: dt.date | None = None) -> FxTable:
    """The rates in force on a day (today by default). Kept per process and day, and read again as soon as
    any FX row was written (its table version moved)."""
    on = on or timezone.now().date()
    tables = _fx_tables.current()
    table = tables.get(on)
    if table is None:
        rows = list(
            FxRate.objects.filter(as_of__lte=on).order_by("base", "quote", "-as_of").distinct("base", "quote")
        )
        table = tables[on] = FxTable(rows)
    return table


def currency_validate(currency: str | None) -> str:
    """The requested currency, or the default; unknown or unsupported codes are a 400."""
    if not currency:
        return settings.LIVEDOCK_DEFAULT_CURRENCY
    code = currency.strip().upper()
    if code not in settings.LIVEDOCK_SUPPORTED_CURRENCIES:
        raise UnsupportedCurrency(
            f"{currency!r} is not a currency we price in.",
            fields={"currency": [f"Choose one of: {', '.join(settings.LIVEDOCK_SUPPORTED_CURRENCIES)}."]},
        )
    return code


def variant_price_expression(*, currency: str, fx: FxTable, variant_ref: str = "pk",
                             pricing_currency_ref: str = "product__manufacturer__pricing_currency"):
    """SQL for a variant's price in `currency`: the manufacturer's own price in that currency where it
    set one, otherwise its list price converted at the rate in force and rounded half away from zero
    to the currency's minor unit (PostgreSQL round() on numeric, the same as money.quantize). A pricing
    currency with no rate to `currency` on file converts to no price (that maker's goods are not offered in
    it), rather than refusing every maker's. Reads nothing: the rates come from the FX table copy."""
    places = currency_exponent(currency)
    money = DecimalField(max_digits=20, decimal_places=max(places, 0))
    direct = Subquery(
        Price.objects.filter(variant=OuterRef(variant_ref), currency=currency).values("amount")[:1]
    )
    list_price = Subquery(
        Price.objects.filter(variant=OuterRef(variant_ref), currency=OuterRef(pricing_currency_ref))
        .values("amount")[:1]
    )
    whens = []
    for base in sorted(fx.currencies() | {currency}):  # a pricing currency without a rate converts to nothing
        try:
            whens.append(When(**{pricing_currency_ref: base}, then=Value(fx.quote(base, currency).rate)))
        except FxRateUnavailable:
            continue
    rate = Case(*whens, default=Value(None), output_field=DecimalField(max_digits=30, decimal_places=10))
    converted = Round(list_price * rate, places, output_field=money)
    return Coalesce(direct, converted, output_field=money)


def _available_expression(variant_ref: str = "pk"):
    per_variant = (
        StockLevel.objects.filter(variant=OuterRef(variant_ref))
        .values("variant")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    return Coalesce(Subquery(per_variant, output_field=IntegerField()), Value(0))


def category_subtree_q(category: Category, prefix: str = "category") -> Q:
    return Q(**{f"{prefix}__path": category.path}) | Q(**{f"{prefix}__path__startswith": category.path + "/"})


ORDERINGS = {
    "relevance": ("-search_rank", "id"),  # with search text only; without, the list is newest first
    "newest": ("-created_at", "-id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "price": ("from_price", "id"),
    "-price": ("-from_price", "-id"),
}


def _priced_variants(currency: str, fx: FxTable) -> QuerySet[Variant]:
    return Variant.objects.filter(is_active=True).annotate(
        price=variant_price_expression(currency=currency, fx=fx), available=_available_expression()
    )


def _listed_products(currency: str, language: str) -> QuerySet[Product]:
    """What a list shows of each product, in one statement: its texts in `language`, its first image and its
    from-price in `currency`."""
    first_image = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    products = (
        Product.objects.filter(is_active=True, manufacturer__is_active=True, listings__currency=currency)
        .select_related("brand", "category", "manufacturer")
        .annotate(from_price=F("listings__from_price"),
                  first_image_url=Subquery(first_image.values("url")[:1]),
                  first_image_alt=Subquery(first_image.values("alt_text")[:1]))
    )
    return texts_annotated(products, language=language)


def product_list_page(*, product_ids: list[int], currency: str, language: str) -> list[Product]:
    """A page of product_list already cut (by the search facets' statement), fetched by id in that order, with
    what product_list gives each product and whether it is in stock (`page_in_stock`: a page read by id can
    ask per row)."""
    if not product_ids:  # a page past the last, or nothing matched: no query to build
        return []
    in_stock = StockLevel.objects.filter(
        variant__product=OuterRef("pk"), variant__is_active=True, on_hand__gt=F("reserved"))
    products = _listed_products(currency, language).filter(pk__in=product_ids).annotate(
        page_in_stock=Exists(in_stock))
    found = {p.pk: p for p in products}
    return [found[pk] for pk in product_ids if pk in found]


def product_list(*, filters: ProductFilters, currency: str) -> QuerySet[Product]:
    """Active products of active manufacturers with a price in `currency`, each annotated with its
    lowest variant price there (`from_price`, from the ProductListing read model). Price filters and
    ordering apply to that from-price. Search text and the facet filters go through the search rows in the
    refinements' language (shop.search), ranked by `search_rank`. Pair a page with products_in_stock()."""
    fx_table_get().quote(settings.LIVEDOCK_DEFAULT_CURRENCY, currency)  # no rate on file -> clear 400
    variants = Variant.objects.filter(product=OuterRef("pk"), is_active=True)
    in_stock = StockLevel.objects.filter(
        variant__product=OuterRef("pk"), variant__is_active=True, on_hand__gt=F("reserved")
    )
    qs = _listed_products(currency, filters.refinements.language)
    if filters.category is not None:
        qs = qs.filter(category_subtree_q(filters.category))
    if filters.brand_slug:
        qs = qs.filter(brand__slug=filters.brand_slug)
    if filters.manufacturer_slug:
        qs = qs.filter(manufacturer__slug=filters.manufacturer_slug)
    if filters.price_min is not None:
        qs = qs.filter(from_price__gte=filters.price_min)
    if filters.price_max is not None:
        qs = qs.filter(from_price__lte=filters.price_max)
    refine = filters.refinements
    if filters.size and not refine.size_system:
        qs = qs.filter(Exists(variants.filter(size_label__iexact=filters.size)))
    if filters.in_stock is True:
        qs = qs.filter(Exists(in_stock))
    elif filters.in_stock is False:
        qs = qs.filter(~Exists(in_stock))
    if refine.material:
        qs = qs.filter(upper_material=refine.material)
    if refine.price_band:
        low, high = price_band_range(currency=currency, key=refine.price_band)
        qs = qs.filter(from_price__gte=low)
        if high is not None:
            qs = qs.filter(from_price__lt=high)
    if refine.on_live_deal is True:
        qs = qs.filter(pk__in=sorted(refine.live_product_ids))
    elif refine.on_live_deal is False:
        qs = qs.exclude(pk__in=sorted(refine.live_product_ids))
    search = (filters.search or "").strip()
    if search or refine.uses_search_rows(size=filters.size):
        qs = products_search_apply(qs, text=search, size=filters.size, refinements=refine)
    return qs.order_by(*product_list_ordering(filters=filters))


def product_search(*, filters: ProductFilters, currency: str, size_system: str, selected: dict[str, str | None],
                   offset: int, limit: int) -> Facets:
    """What product_list(filters) lists, counted per facet (shop.search.facets_build) with the ids of `limit`
    products from `offset` in the list's order: from the columns each process keeps (shop.facet_index), the
    text matched by the database. A test holds both equal for random filters."""
    fx_table_get().quote(settings.LIVEDOCK_DEFAULT_CURRENCY, currency)  # no rate on file -> clear 400
    bounds = [band_low for _key, band_low, _high in price_bands(currency)[1:]]
    counted = facet_index.search(filters, currency=currency, feed=catalog_cache.feed,
                                 trusted=catalog_cache.follow(), size_system=size_system, bounds=bounds,
                                 ordering=product_list_ordering(filters=filters), offset=offset, limit=limit)
    return facets_build(counted, currency=currency, size_system=size_system, language=filters.refinements.language,
                        selected=selected)


def product_list_ordering(*, filters: ProductFilters) -> tuple[str, ...]:
    """The fields product_list orders by: relevance needs search text; without, the list is newest first."""
    searching = bool((filters.search or "").strip())
    return ORDERINGS[filters.ordering if searching or filters.ordering != "relevance" else "newest"]


def products_in_stock(*, product_ids: list[int]) -> set[int]:
    """Which of these products have an active variant with units available (one query per page;
    computing it per row inside the list query made PostgreSQL hash all stock rows)."""
    return set(
        StockLevel.objects.filter(variant__product_id__in=product_ids, variant__is_active=True,
                                  on_hand__gt=F("reserved"))
        .values_list("variant__product_id", flat=True).distinct()
    )


def product_get(*, slug: str, currency: str, language: str = "en") -> Product:
    """One active product with its texts in `language`, and its active variants priced in `currency` and their
    availability."""
    fx = fx_table_get()
    variants = _priced_variants(currency, fx).order_by("id")
    products = Product.objects.filter(is_active=True, manufacturer__is_active=True, slug=slug)
    product = (
        texts_annotated(products, language=language)
        .select_related("brand", "category", "manufacturer")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
            Prefetch("variants", queryset=variants, to_attr="active_variants"),
        )
        .first()
    )
    if product is None:
        raise NotFound("No such product.")
    return product


def category_list() -> QuerySet[Category]:
    return Category.objects.select_related("parent").order_by("path")


def category_get_by_slug(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def manufacturer_for_user(*, user) -> Manufacturer | None:
    """The manufacturer a staff user works for, or None for operators and buyers."""
    membership = getattr(user, "manufacturer_membership", None)
    return membership.manufacturer if membership is not None else None


def variant_price(*, variant: Variant, currency: str, fx: FxTable) -> tuple[Decimal, FxQuote] | None:
    """Python twin of variant_price_expression for a single variant whose prices are loaded."""
    prices = {p.currency: p.amount for p in variant.prices.all()}
    if currency in prices:
        return prices[currency], FxQuote(currency, currency, Decimal(1), None, "manufacturer price")
    base = variant.product.manufacturer.pricing_currency
    if base not in prices:
        return None
    quote = fx.quote(base, currency)
    return convert(prices[base], quote.rate, currency), quote


def brand_exists(*, slug: str) -> bool:
    return Brand.objects.filter(slug=slug).exists()


def manufacturer_exists(*, slug: str) -> bool:
    return Manufacturer.objects.filter(slug=slug, is_active=True).exists()


def variants_for_sale(*, variant_ids: list[int]) -> dict[int, Variant]:
    """Variants with what pricing and order snapshots need, in one query plus one for prices."""
    variants = (
        Variant.objects.filter(pk__in=variant_ids)
        .select_related("product__manufacturer", "product__brand")
        .prefetch_related(Prefetch("prices", queryset=Price.objects.all()))
    )
    return {v.pk: v for v in variants}


def variant_is_sellable(variant: Variant) -> bool:
    return variant.is_active and variant.product.is_active and variant.product.manufacturer.is_active


def variant_for_cart(*, variant_id: int | None = None, sku: str | None = None) -> Variant:
    """One variant, by id or SKU, with its product and manufacturer (what the sellable check and pricing
    read), in one query; unknown is VariantUnavailable. Its prices come with prices_attach()."""
    variants = Variant.objects.select_related("product__manufacturer")
    variant = (variants.filter(sku=sku) if sku is not None else variants.filter(pk=variant_id)).first()
    if variant is None:
        if sku is not None:
            raise VariantUnavailable(f"No item with SKU {sku!r}.", fields={"variant": ["Unknown SKU."]})
        raise VariantUnavailable("No such item.", fields={"variant": ["Unknown variant."]})
    return variant


def prices_attach(*, variants) -> None:
    """Load the prices of loaded variants (variant_price reads them), all in one query."""
    prefetch_related_objects(list(variants), Prefetch("prices", queryset=Price.objects.all()))


def stock_candidates(*, variant_ids=None, variants=None) -> dict[int, list[StockLevel]]:
    """Each variant's stock rows in allocation order: the manufacturer's default warehouse first,
    then by id. Every checkout takes rows in this order, so concurrent checkouts never deadlock.
    Pass `variants` already loaded with their product's manufacturer (whose default warehouse comes first)
    to read the rows alone, or `variant_ids`."""
    if variants is not None:
        default_warehouse = {v.pk: v.product.manufacturer.default_warehouse_id for v in variants}
        levels = StockLevel.objects.filter(variant_id__in=list(default_warehouse))
    else:
        default_warehouse = {}
        levels = StockLevel.objects.filter(variant_id__in=list(variant_ids)).select_related(
            "warehouse", "variant__product__manufacturer")
    by_variant: dict[int, list[StockLevel]] = {}
    for level in levels.order_by("variant_id", "id"):
        by_variant.setdefault(level.variant_id, []).append(level)
        if variants is None:
            default_warehouse[level.variant_id] = level.variant.product.manufacturer.default_warehouse_id
    for variant_id, rows in by_variant.items():
        rows.sort(key=lambda lv, first=default_warehouse[variant_id]: (lv.warehouse_id != first, lv.id))
    return by_variant


def variant_id_by_sku(*, sku: str) -> int:
    variant_id = Variant.objects.filter(sku=sku).values_list("pk", flat=True).first()
    if variant_id is None:
        raise VariantUnavailable(f"No item with SKU {sku!r}.", fields={"variant": ["Unknown SKU."]})
    return variant_id


def free_units(*, variant_ids) -> dict[int, int]:
    """Units free to reserve per variant over all warehouses: a snapshot used to refuse early; the
    locking reservation decides. Two plain columns, summed here: cheaper than an aggregate per call."""
    free: dict[int, int] = {}
    rows = StockLevel.objects.filter(variant_id__in=list(variant_ids), on_hand__gt=F("reserved"))
    for variant_id, on_hand, reserved in rows.values_list("variant_id", "on_hand", "reserved"):
        free[variant_id] = free.get(variant_id, 0) + on_hand - reserved
    return free


def product_for_lineup(*, product_id: int) -> Product:
    product = Product.objects.filter(pk=product_id, is_active=True, manufacturer__is_active=True).first()
    if product is None:
        raise NotFound("No such product.", fields={"product": ["Unknown or inactive."]})
    return product


_SKU_SECONDS = 60.0
_sku_refs: dict[str, tuple[float, tuple[int, int]]] = {}


def variant_ref_by_sku(*, sku: str) -> tuple[int, int]:
    """(variant id, product id) of a SKU, read once a minute per process: a live deal's storm asks for the
    same few SKUs thousands of times a second, and a SKU never moves to another product."""
    now = time.monotonic()
    cached = _sku_refs.get(sku)
    if cached is not None and cached[0] > now:
        return cached[1]
    row = Variant.objects.filter(sku=sku).values_list("pk", "product_id").first()
    if row is None:
        raise VariantUnavailable(f"No item with SKU {sku!r}.", fields={"variant": ["Unknown SKU."]})
    if len(_sku_refs) > 50_000:
        _sku_refs.clear()
    _sku_refs[sku] = (now + _SKU_SECONDS, row)
    return row


def variant_product_id(*, variant_id: int) -> int | None:
    return Variant.objects.filter(pk=variant_id).values_list("product_id", flat=True).first()


def product_variant_ids(*, product: Product) -> list[int]:
    return list(Variant.objects.filter(product=product, is_active=True).values_list("pk", flat=True))


def product_skus(*, product: Product) -> dict[int, str]:
    """The product's active sizes: variant id -> SKU, in id order."""
    return dict(Variant.objects.filter(product=product, is_active=True).order_by("pk").values_list("pk", "sku"))


def product_list_price(*, product: Product, currency: str) -> Decimal | None:
    """The lowest active variant price of a product in `currency` (manufacturer price or converted)."""
    fx = fx_table_get()
    variants = Variant.objects.filter(product=product, is_active=True).select_related(
        "product__manufacturer").prefetch_related("prices")
    prices = [found[0] for v in variants if (found := variant_price(variant=v, currency=currency, fx=fx))]
    return min(prices) if prices else None


def product_by_slug(*, slug: str) -> Product:
    product = Product.objects.filter(slug=slug, is_active=True).first()
    if product is None:
        raise NotFound("No such product.", fields={"product": ["Unknown or inactive."]})
    return product


def manufacturers_by_id(*, ids) -> dict[int, Manufacturer]:
    return Manufacturer.objects.in_bulk(list(ids))


def metrics_gauges():
    """Stock gauges for the metrics scrape: units on hand and units held by unpaid or unshipped orders."""
    totals = StockLevel.objects.aggregate(on_hand=Coalesce(Sum("on_hand"), 0), reserved=Coalesce(Sum("reserved"), 0))
    yield gauge("livedock_stock_units", "Stock units over all warehouses: on hand, and reserved for orders.",
                "kind", {"on_hand": totals["on_hand"], "reserved": totals["reserved"]})
