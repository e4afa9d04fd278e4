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
from collections import Counter
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


def seed_deal(variant, cap: int):
    """A live session with an approved lineup item and a running deal on the SKU."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from livestream import services as live
    from livestream.models import Festival, Host, HostAvailability, LiveBase, Studio

    now = timezone.now()
    base = LiveBase.objects.create(name="Bench base", city="Wenzhou")
    festival = Festival.objects.create(base=base, name="Bench fest", slug="bench-fest",
                                       starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(days=1))
    studio = Studio.objects.create(base=base, name="A")
    user = get_user_model().objects.create(username="bench-host", email="bench-host@example.com")
    host = Host.objects.create(user=user, handle="bench-host", display_name="Bench host")
    HostAvailability.objects.create(host=host, starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(hours=6))
    session = live.live_session_schedule(festival=festival, studio=studio, host=host, title="Bench live",
                                         starts_at=now - dt.timedelta(minutes=10), ends_at=now + dt.timedelta(hours=2))
    item = live.lineup_request(host=host, session_id=session.pk, product_id=variant.product_id,
                               price=Decimal("59.00"), currency="USD", commission_rate=Decimal("0.15"), quantity=cap)
    live.lineup_decide(manufacturer_id=variant.product.manufacturer_id, item_id=item.pk, action="approve")
    live.session_go_live(host=host, session_id=session.pk)
    return live.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("39.00"),
                            quantity_cap=cap, per_buyer_limit=1, duration_minutes=60)


def seed(buyers: int, stock: int, deal_cap: int = 0,
         deal_in_cart: bool = True) -> tuple[int, list[tuple[str, int]], int | None]:
    """A SKU with `stock` units, buyers with an address and (unless deal_in_cart is off) one unit of it in the
    cart, and with deal_cap a running deal of that many units on it."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import Address, BuyerProfile
    from orders.models import Cart, CartLine
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
    deal = seed_deal(variant, deal_cap) if deal_cap else None
    if deal_in_cart:
        CartLine.objects.bulk_create([CartLine(cart=c, variant=variant, quantity=1, deal=deal) for c in carts])
    from django.core.management import call_command as command

    command("load_customs_rules", "data/customs/rules-2026-11.json", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tokens = [(str(AccessToken.for_user(u)), a.pk) for u, a in zip(users, addresses, strict=True)]
    return level.pk, tokens, deal.pk if deal else None


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


async def _race(port: int, buyers: list[tuple[str, int]], in_flight: int, max_seconds: float, repeats: int = 1):
    """Every buyer checks out once; one in ten fires `repeats` parallel checkouts (different keys)."""
    gate = asyncio.Semaphore(in_flight)
    results: list[tuple[int, float]] = []

    async def one(index: int, attempt: int, token: str, address_id: int) -> None:
        async with gate:
            try:
                results.append(await asyncio.wait_for(_post(
                    port, "/api/v1/checkout/", {"address_id": address_id},
                    {"Authorization": f"Bearer {token}", "Idempotency-Key": f"flash-{index}-attempt-{attempt}"}), 60))
            except (TimeoutError, OSError, IndexError, ValueError):
                results.append((0, 0.0))

    jobs = [one(i, attempt, t, a) for i, (t, a) in enumerate(buyers)
            for attempt in range(repeats if i % 10 == 0 else 1)]
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*jobs), max_seconds)
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
    parser.add_argument("--deal-cap", type=int, default=0,
                        help="Run the live-deal scenario: a deal with this cap, per-buyer limit 1, and one buyer in "
                             "ten firing three parallel checkouts.")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_flash")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.buyers} buyers and {args.stock} units ...", flush=True)
    level_id, buyers, deal_id = seed(args.buyers, args.stock, args.deal_cap)

    from devtools import stripe_local

    # Checkout asks a worker for each PaymentIntent and never waits on Stripe; the server is there for a payments
    # worker run beside the bench (STRIPE_LOCAL_LATENCY_MS=300 makes it as slow as Stripe).
    stripe_proc, stripe_url = stripe_local.start()
    env = {"DATABASE_CONN_MAX_AGE": "60", "STRIPE_API_BASE": stripe_url, "STRIPE_SEND_TRANSFER_GROUP": "false",
           "STRIPE_MAX_NETWORK_RETRIES": "0"}
    try:
        with Gunicorn(url, workers=args.workers, env=env) as server:
            results, elapsed = asyncio.run(_race(server.port, buyers, args.in_flight, args.max_seconds,
                                                 repeats=3 if deal_id else 1))
    finally:
        stripe_local.stop(stripe_proc)

    from orders.models import Order, OrderLine
    from shop.models import StockLevel

    level = StockLevel.objects.get(pk=level_id)
    sold_units = sum(OrderLine.objects.values_list("quantity", flat=True))
    accepted = sum(1 for status, _ in results if status == 201)
    # Clean refusals: 409 sold out / limit reached, and 400 cart_empty for a buyer's parallel repeat that
    # arrives after their first checkout emptied the cart.
    refused = sum(1 for status, _ in results if 400 <= status < 500)
    errors = len(results) - accepted - refused
    limit = args.stock if not deal_id else min(args.stock, args.deal_cap)
    oversold = max(0, sold_units - limit) + max(0, level.reserved - level.on_hand)
    from django.db.models import Count

    over_buyer_limit = Order.objects.values("buyer").annotate(n=Count("id")).filter(n__gt=1).count()
    latencies = [ms for status, ms in results if 200 <= status < 500]
    accepted_lat = [ms for status, ms in results if status == 201]
    summary = {
        "buyers": args.buyers, "stock": args.stock, "in_flight": args.in_flight, "accepted": accepted,
        "refused": refused, "errors": errors, "orders": Order.objects.count(), "units_reserved": level.reserved,
        "oversold": oversold, "over_per_buyer_limit": over_buyer_limit, "elapsed_s": round(elapsed, 2),
        "statuses": dict(sorted(Counter(status for status, _ in results).items())),
        "accepted_per_s": round(accepted / elapsed, 1), "p50_ms": round(pct(latencies, 50), 1),
        "p99_ms": round(pct(latencies, 99), 1), "accepted_p99_ms": round(pct(accepted_lat, 99), 1),
    }
    print(json.dumps(summary, indent=2))
    ok = oversold == 0 and errors == 0 and over_buyer_limit == 0 and accepted == min(limit, args.buyers) \
        == summary["orders"]
    if not args.no_write:
        header = ("| accepted | refused (4xx) | errors | oversold | over per-buyer limit | orders in DB "
                  "| accepted orders/s | p50 ms | p99 ms | p99 accepted ms |\n" + "|---" * 10 + "|")
        row = "| " + " | ".join(str(v) for v in (
            accepted, refused, errors, oversold, over_buyer_limit, summary["orders"], summary["accepted_per_s"],
            summary["p50_ms"],
            summary["p99_ms"], summary["accepted_p99_ms"])) + " |"
        scenario = (f"live deal (cap {args.deal_cap}, 1 per buyer, one buyer in ten firing 3 parallel checkouts)"
                    if deal_id else "plain SKU")
        flag = f" --deal-cap {args.deal_cap}" if deal_id else ""
        write_section(f"flash-sale{'-deal' if deal_id else ''}-{args.in_flight}", f"""
## Flash sale, {scenario}, {args.in_flight} in flight (`bench/flash_sale.py --in-flight {args.in_flight}{flag}`)

{args.buyers:,} buyers with one unit each in the cart race for {args.stock} units of one SKU through
`POST /api/v1/checkout/` (JWT auth, Idempotency-Key, full snapshot and reservation), gunicorn with
{args.workers} sync workers and PostgreSQL on loopback, an asyncio client keeping {args.in_flight} requests
open at once. Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {machine_line()}.

{header}
{row}
""")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
