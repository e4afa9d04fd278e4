"""Flash-sale benchmark: buyers race for a few hundred units of one SKU through the real checkout API
(gunicorn + PostgreSQL on loopback). Prints accepted, refused, errors, oversold (must be 0), accepted
orders/s and p50/p99 latency, and records them in docs/benchmarks.md.

    .venv/bin/python bench/flash_sale.py [--buyers 2000] [--stock 500] [--in-flight 64]

Every buyer has one unit of the SKU in the cart; all of them press "buy" through an asyncio client
that keeps `--in-flight` requests open at once (--in-flight 2000 fires them all at the same moment).
Bounded: each request times out after 60 s and the run stops after --max-seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    Gunicorn,
    bench_database_url,
    django_setup,
    machine_line,
    recreate_database,
    write_section,
)


def seed(buyers: int, stock: int) -> tuple[int, list[tuple[str, int]]]:
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework_simplejwt.tokens import AccessToken

    from orders.models import Address, BuyerProfile, Cart, CartLine
    from shop import services
    from shop.models import Brand, Category, FxRate, Manufacturer, Price, Product, StockLevel, Variant, Warehouse
    from shop.validators import uscc_check_character

    call_command("migrate", "--noinput", "-v", "0")
    FxRate.objects.create(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=dt.date(2026, 11, 20), source="bench")
    body = "91330300000000001"
    maker = Manufacturer.objects.create(name="Flash Factory", slug="flash", pricing_currency="USD",
                                        customs_code=body + uscc_check_character(body))
    warehouse = Warehouse.objects.create(manufacturer=maker, code="flash-wz", name="WZ", country="CN")
    maker.default_warehouse = warehouse
    maker.save()
    category = services.category_save(category=Category(name="Boots", slug="boots"))
    brand = Brand.objects.create(manufacturer=maker, name="Flash", slug="flash")
    product = Product.objects.create(manufacturer=maker, brand=brand, category=category, name="Deal boot",
                                     slug="deal-boot", upper_material="leather", hs_code="640391",
                                     cn_commodity_code="6403911900")
    variant = Variant.objects.create(product=product, sku="DEAL-42", size_label="42", net_weight_kg=Decimal("1"),
                                     gross_weight_kg=Decimal("1.2"))
    Price.objects.create(variant=variant, currency="USD", amount=Decimal("59.00"))
    level = StockLevel.objects.create(variant=variant, warehouse=warehouse, on_hand=stock)

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [user_model(username=f"flash{i}@example.com", email=f"flash{i}@example.com", password="!")  # noqa: S106
         for i in range(buyers)], batch_size=1000)
    BuyerProfile.objects.bulk_create([BuyerProfile(user=u, preferred_currency="EUR") for u in users])
    addresses = Address.objects.bulk_create([
        Address(buyer=u, full_name="Buyer", line1="Street 1", city="Berlin", postal_code="10115", country="DE")
        for u in users])
    carts = Cart.objects.bulk_create([Cart(buyer=u) for u in users])
    CartLine.objects.bulk_create([CartLine(cart=c, variant=variant, quantity=1) for c in carts])
    return level.pk, [(str(AccessToken.for_user(u)), a.pk) for u, a in zip(users, addresses, strict=True)]


async def _post(port: int, path: str, body: dict, headers: dict[str, str]) -> tuple[int, float]:
    payload = json.dumps(body).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(payload)}\r\nConnection: close\r\n{head}\r\n").encode() + payload
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # Connection: close -> read to EOF
        return int(status_line.split()[1]), (time.perf_counter() - started) * 1000
    finally:
        writer.close()


async def _race(port: int, buyers: list[tuple[str, int]], in_flight: int, max_seconds: float):
    gate = asyncio.Semaphore(in_flight)
    results: list[tuple[int, float]] = []

    async def one(index: int, token: str, address_id: int) -> None:
        async with gate:
            try:
                results.append(await asyncio.wait_for(_post(
                    port, "/api/v1/checkout/", {"address_id": address_id},
                    {"Authorization": f"Bearer {token}", "Idempotency-Key": f"flash-{index}-attempt"}), 60))
            except (TimeoutError, OSError, IndexError, ValueError):
                results.append((0, 0.0))

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(i, t, a) for i, (t, a) in enumerate(buyers))), max_seconds)
    return results, time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=2000)
    parser.add_argument("--stock", type=int, default=500)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_flash")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.buyers} buyers and {args.stock} units ...", flush=True)
    level_id, buyers = seed(args.buyers, args.stock)

    with Gunicorn(url, workers=args.workers, env={"DATABASE_CONN_MAX_AGE": "60"}) as server:
        results, elapsed = asyncio.run(_race(server.port, buyers, args.in_flight, args.max_seconds))

    from orders.models import Order, OrderLine
    from shop.models import StockLevel

    level = StockLevel.objects.get(pk=level_id)
    sold_units = sum(OrderLine.objects.values_list("quantity", flat=True))
    accepted = sum(1 for status, _ in results if status == 201)
    refused = sum(1 for status, _ in results if status == 409)
    errors = len(results) - accepted - refused
    oversold = max(0, sold_units - args.stock) + max(0, level.reserved - level.on_hand)
    latencies = [ms for status, ms in results if status in (201, 409)]
    accepted_lat = [ms for status, ms in results if status == 201]
    summary = {
        "buyers": args.buyers, "stock": args.stock, "in_flight": args.in_flight, "accepted": accepted,
        "refused": refused, "errors": errors, "orders": Order.objects.count(), "units_reserved": level.reserved,
        "oversold": oversold, "elapsed_s": round(elapsed, 2),
        "accepted_per_s": round(accepted / elapsed, 1), "p50_ms": round(pct(latencies, 50), 1),
        "p99_ms": round(pct(latencies, 99), 1), "accepted_p99_ms": round(pct(accepted_lat, 99), 1),
    }
    print(json.dumps(summary, indent=2))
    ok = oversold == 0 and errors == 0 and accepted == min(args.stock, args.buyers) == summary["orders"]
    if not args.no_write:
        row = "| " + " | ".join(str(v) for v in (
            accepted, refused, errors, oversold, summary["orders"], summary["accepted_per_s"], summary["p50_ms"],
            summary["p99_ms"], summary["accepted_p99_ms"])) + " |"
        write_section(f"flash-sale-{args.in_flight}", f"""
## Flash sale, plain SKU, {args.in_flight} requests in flight (`bench/flash_sale.py --in-flight {args.in_flight}`)

{args.buyers:,} buyers with one unit each in the cart race for {args.stock} units of one SKU through
`POST /api/v1/checkout/` (JWT auth, Idempotency-Key, full snapshot and reservation), gunicorn with
{args.workers} sync workers and PostgreSQL on loopback, an asyncio client keeping {args.in_flight} requests
open at once. Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {machine_line()}.

| accepted | refused (409) | errors | oversold | orders in DB | accepted orders/s | p50 ms | p99 ms | p99 accepted ms |
|---|---|---|---|---|---|---|---|---|
{row}
""")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
