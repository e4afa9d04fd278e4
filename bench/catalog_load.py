"""Catalog load benchmark: 10,000 products behind gunicorn (as shipped) + PostgreSQL on loopback; concurrent
clients read list pages and product details for a bounded time. Prints requests/s and p50/p99 latency
and records them in docs/benchmarks.md.

    .venv/bin/python bench/catalog_load.py [--products 10000] [--concurrency 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    Gunicorn,
    bench_database_url,
    django_setup,
    machine_line,
    recreate_database,
    run_load,
    write_section,
)


def seed(products: int) -> list[str]:
    from django.core.management import call_command

    from shop import services
    from shop.models import (
        Brand,
        Category,
        FxRate,
        Manufacturer,
        Price,
        Product,
        StockLevel,
        Variant,
        Warehouse,
    )
    from shop.validators import uscc_check_character

    call_command("migrate", "--noinput", "-v", "0")
    rng = random.Random(7)
    for quote, rate in (("EUR", "0.86"), ("JPY", "150"), ("CNY", "7.10"), ("GBP", "0.75")):
        FxRate.objects.create(base="USD", quote=quote, rate=Decimal(rate), as_of=dt.date(2026, 11, 20),
                              source="bench")
    roots = [services.category_save(category=Category(name=n, slug=n)) for n in ("footwear", "apparel")]
    leaves = [services.category_save(category=Category(name=n, slug=n, parent=roots[i % 2]))
              for i, n in enumerate(("boots", "jerseys", "sneakers", "loafers"))]
    makers, brands, warehouses = [], [], []
    for i, currency in enumerate(("CNY", "USD", "USD")):
        body = f"9133030000000000{i}"
        maker = Manufacturer.objects.create(name=f"Bench Factory {i}", slug=f"bench-{i}",
                                            customs_code=body + uscc_check_character(body),
                                            pricing_currency=currency)
        makers.append(maker)
        brands += [Brand.objects.create(manufacturer=maker, name=f"Brand {i}{j}", slug=f"brand-{i}-{j}")
                   for j in range(3)]
        warehouses.append(Warehouse.objects.create(manufacturer=maker, code=f"wh-{i}", name="WH", country="CN"))
    product_rows = []
    for n in range(products):
        brand = brands[n % len(brands)]
        product_rows.append(Product(
            manufacturer_id=brand.manufacturer_id, brand=brand, category=leaves[n % len(leaves)],
            name=f"Bench product {n}", slug=f"bench-product-{n}", upper_material="leather",
            hs_code="640391", cn_commodity_code="6403911900"))
    Product.objects.bulk_create(product_rows, batch_size=2000)
    products_by_slug = dict(Product.objects.values_list("slug", "id"))
    maker_currency = {m.pk: m.pricing_currency for m in makers}
    maker_warehouse = {m.pk: w.pk for m, w in zip(makers, warehouses, strict=True)}
    variants = []
    for row in product_rows:
        for size in ("40", "42", "44"):
            variants.append(Variant(product_id=products_by_slug[row.slug], sku=f"{row.slug}-{size}",
                                    size_label=size, net_weight_kg=Decimal("1"), gross_weight_kg=Decimal("1.2")))
    Variant.objects.bulk_create(variants, batch_size=5000)
    variant_rows = Variant.objects.values_list("id", "product__manufacturer_id")
    Price.objects.bulk_create(
        [Price(variant_id=v, currency=maker_currency[m], amount=Decimal(rng.randint(30, 900)))
         for v, m in variant_rows],
        batch_size=5000)
    StockLevel.objects.bulk_create(
        [StockLevel(variant_id=v, warehouse_id=maker_warehouse[m], on_hand=rng.randint(0, 50))
         for v, m in variant_rows], batch_size=5000)
    services.product_listing_refresh()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return list(products_by_slug)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_catalog")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.products} products ...", flush=True)
    slugs = seed(args.products)

    list_paths = ["/api/v1/catalog/products/?currency=EUR",
                  "/api/v1/catalog/products/?currency=JPY&category=footwear&ordering=price",
                  "/api/v1/catalog/products/?currency=EUR&in_stock=true&page=5",
                  "/api/v1/catalog/products/?currency=USD&price_min=100&price_max=400&size=42"]
    rng = random.Random(1)
    results = {}
    with Gunicorn(url, workers=args.workers) as server:
        for name, pick in (
            ("list", lambda t, n: ("GET", list_paths[(t + n) % len(list_paths)], None)),
            ("detail", lambda t, n: ("GET", f"/api/v1/catalog/products/{rng.choice(slugs)}/?currency=EUR", None)),
        ):
            run_load(server.port, args.concurrency, 2, 500, pick)  # warm-up
            results[name] = run_load(server.port, args.concurrency, args.seconds, args.max_requests, pick)
            print(f"{name}: {results[name].summary()}", flush=True)

    if not args.no_write:
        rows = "\n".join(
            f"| {name} | {r.count} | {r.rps:.0f} | {r.pct(50):.1f} | {r.pct(99):.1f} | "
            f"{sum(v for k, v in r.statuses.items() if k >= 500) + r.errors} |"
            for name, r in results.items())
        write_section("catalog", f"""
## Catalog load (`bench/catalog_load.py`)

{args.products:,} products (3 variants each, prices in CNY/USD converted to the requested currency),
gunicorn with {args.workers} ASGI workers as shipped and PostgreSQL on loopback, {args.concurrency} concurrent
keep-alive clients (Python threads, on the same two cores) for {args.seconds:.0f} s per scenario. The list mixes
four queries (plain, category subtree sorted by price in JPY, in-stock page 5, price range + size); details
pick a random product of the whole catalog, so most of them are rendered, not served from the cache. Measured
{dt.datetime.now(dt.UTC).date().isoformat()} on {machine_line()}.

| scenario | requests | req/s | p50 ms | p99 ms | 5xx + errors |
|---|---|---|---|---|---|
{rows}

Target: list p99 under 50 ms at this concurrency: {"met" if results["list"].pct(99) < 50 else "not met in this run"}.
Repeated lists are answered from the response cache in front of Django (docs/catalog.md, "Response cache");
a product page rendered for the first time costs at most five statements. The comparison with django-oscar
is in "Catalog reads beside django-oscar" (wrk as the load generator).
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
