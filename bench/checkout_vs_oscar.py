"""Plain checkout under load, Livedock beside django-oscar: each of N buyers in a loop adds one unit of a
SKU to the cart and places the order, N at once, for a bounded time. Prints orders/s and order latency
(add + place, p50/p99) per side and the ratio, and records them in docs/benchmarks.md.

    .venv/bin/python bench/checkout_vs_oscar.py [--buyers 16] [--seconds 20] [--rounds 2] [--workers 2]
        [--oscar-url http://127.0.0.1:PORT --oscar-seed BENCH_DIR/seed.json]

Livedock runs as shipped (gunicorn with ASGI workers, production settings, pooled connections) on a seeded
scratch database, `POST /api/v1/cart/lines/` then `POST /api/v1/checkout/` (JWT, Idempotency-Key; the
checkout also asks for the order's PaymentIntent: a payment row and a task for the payments worker, which
this bench does not run, as oscar has no payment step). Oscar is the peer its benchmark harness
sets up and serves (django-oscar + oscar-api; pg_local.sh, setup.sh, seed.sh, serve.sh, see its README):
`POST /api/basket/add-product/` then `POST /api/checkout/` with a signed-in session cookie and CSRF token. Its
seed must hold at least N checkout buyers: seed with `oscar_seed.py --checkout-buyers N` (the default makes 8),
and pass the seed.json it writes. Rounds alternate the sides (Livedock, oscar, Livedock, ...) so both see the
same machine; each side is warmed up first. Without --oscar-url only Livedock is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout_seed import seed_checkout  # noqa: E402
from bench.common import (  # noqa: E402
    SHIPPED_WORKER_CLASS,
    Gunicorn,
    bench_database_url,
    django_setup,
    machine_line,
    recreate_database,
    request,
    write_section,
)


@dataclass
class Side:
    name: str
    orders_ms: list[float] = field(default_factory=list)  # add + place, per placed order
    checkout_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0
    rounds: list[float] = field(default_factory=list)  # orders/s of each round

    @property
    def orders(self) -> int:
        return len(self.orders_ms)

    @property
    def per_second(self) -> float:
        return self.orders / self.elapsed_s if self.elapsed_s else 0.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


class Livedock:
    name = "Livedock"

    def __init__(self, port: int, seed):
        self.port, self.seed = port, seed

    def buyer_count(self) -> int:
        return len(self.seed.buyers)

    def order(self, conn, buyer: int, n: int) -> tuple[bool, float]:
        """One order: add a unit, place it. (ok, ms of the checkout request)."""
        seed = self.seed
        auth = {"Authorization": f"Bearer {seed.buyers[buyer].token}"}
        sku = seed.skus[(buyer * 7919 + n * 104729) % len(seed.skus)]
        status, _ = request("127.0.0.1", self.port, "POST", "/api/v1/cart/lines/", {"variant": sku, "quantity": 1},
                            auth, conn=conn)
        if status != 201:
            return False, 0.0
        started = time.perf_counter()
        status, _ = request("127.0.0.1", self.port, "POST", "/api/v1/checkout/",
                            {"address_id": seed.buyers[buyer].address_id},
                            {**auth, "Idempotency-Key": f"bench-{os.getpid()}-{buyer}-{n}-{secrets.token_hex(4)}"},
                            conn=conn)
        return status == 201, (time.perf_counter() - started) * 1000


class Oscar:
    name = "django-oscar"

    def __init__(self, url: str, seed_path: Path):
        parts = urlsplit(url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.port = parts.port or 80
        seed = json.loads(seed_path.read_text())
        self.buyers = [b["session"] for b in seed["checkout_buyers"]]
        self.products = seed["checkout_child_ids"]
        self.csrf = secrets.token_hex(16)  # any 32 characters: sent as cookie and header

    def buyer_count(self) -> int:
        return len(self.buyers)

    def order(self, conn, buyer: int, n: int) -> tuple[bool, float]:
        headers = {"Cookie": f"sessionid={self.buyers[buyer]}; csrftoken={self.csrf}", "X-CSRFToken": self.csrf}
        product = self.products[(buyer * 7919 + n * 104729) % len(self.products)]
        status, body = request("127.0.0.1", self.port, "POST", "/api/basket/add-product/",
                               {"url": f"{self.base}/api/products/{product}/", "quantity": 1}, headers, conn=conn)
        if status != 200:
            return False, 0.0
        started = time.perf_counter()
        status, _ = request("127.0.0.1", self.port, "POST", "/api/checkout/", {
            "basket": json.loads(body)["url"],
            "shipping_address": {"country": f"{self.base}/api/countries/DE/", "first_name": "Anna",
                                 "last_name": "Buyer", "line1": "Street 1", "line4": "Berlin", "postcode": "10115"},
        }, headers, conn=conn)
        return status == 200, (time.perf_counter() - started) * 1000


def run_round(shop, side: Side | None, buyers: int, seconds: float) -> None:
    """`buyers` threads, each a buyer ordering in a loop over one keep-alive connection, for `seconds`."""
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def buyer_loop(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", shop.port, timeout=60)
        n = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                ok, checkout_ms = shop.order(conn, index, n)
            except (OSError, http.client.HTTPException, ValueError, KeyError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", shop.port, timeout=60)
                ok, checkout_ms = False, 0.0
            n += 1
            if side is None:
                continue
            with lock:
                if ok:
                    side.orders_ms.append((time.perf_counter() - started) * 1000)
                    side.checkout_ms.append(checkout_ms)
                else:
                    side.errors += 1
        conn.close()

    threads = [threading.Thread(target=buyer_loop, args=(i,)) for i in range(buyers)]
    before = len(side.orders_ms) if side else 0
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if side is not None:
        elapsed = time.monotonic() - started
        side.elapsed_s += elapsed
        side.rounds.append((len(side.orders_ms) - before) / elapsed)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20, help="Length of each measured round.")
    parser.add_argument("--rounds", type=int, default=2, help="Measured rounds per side, alternating the sides.")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default=SHIPPED_WORKER_CLASS,
                        help="gunicorn's worker class for Livedock; `sync` or `gthread` serve the WSGI application.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker (gthread).")
    parser.add_argument("--oscar-url")
    parser.add_argument("--oscar-seed", type=Path)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if bool(args.oscar_url) != bool(args.oscar_seed):
        parser.error("--oscar-url and --oscar-seed go together")

    oscar = Oscar(args.oscar_url, args.oscar_seed) if args.oscar_url else None
    if oscar is not None and oscar.buyer_count() < args.buyers:
        parser.error(f"the oscar seed has {oscar.buyer_count()} checkout buyers, fewer than --buyers")
    url = bench_database_url("livedock_bench_checkout")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.buyers} buyers ...", flush=True)
    seed = seed_checkout(buyers=args.buyers)

    load_at_start = machine_line()
    sides = {"Livedock": Side("Livedock"), "django-oscar": Side("django-oscar")}
    with Gunicorn(url, workers=args.workers, worker_class=args.worker_class, threads=args.threads) as server:
        shops = [Livedock(server.port, seed)] + ([oscar] if oscar else [])
        for shop in shops:
            print(f"Warming up {shop.name} ...", flush=True)
            run_round(shop, None, args.buyers, args.warmup)
        cpu_before = time.process_time()
        for round_no in range(args.rounds):
            for shop in shops:
                run_round(shop, sides[shop.name], args.buyers, args.seconds)
                print(f"round {round_no + 1} {shop.name}: {sides[shop.name].rounds[-1]:.1f} orders/s", flush=True)
        client_cpu = time.process_time() - cpu_before

    measured = [side for side in sides.values() if side.elapsed_s]
    wall = sum(side.elapsed_s for side in measured)
    summary = {
        side.name: {"orders": side.orders, "orders_per_s": round(side.per_second, 1),
                    "rounds_orders_per_s": [round(r, 1) for r in side.rounds], "errors": side.errors,
                    "order_p50_ms": round(pct(side.orders_ms, 50), 1),
                    "order_p99_ms": round(pct(side.orders_ms, 99), 1),
                    "checkout_p50_ms": round(pct(side.checkout_ms, 50), 1),
                    "checkout_p99_ms": round(pct(side.checkout_ms, 99), 1)}
        for side in measured}
    livedock, peer = sides["Livedock"], sides["django-oscar"]
    ratio = livedock.per_second / peer.per_second if peer.per_second else None
    print(json.dumps({"buyers": args.buyers, "workers": args.workers, "sides": summary,
                      "ratio_orders_per_s": round(ratio, 2) if ratio else None,
                      "load_generator_cpu_share": round(client_cpu / wall, 2) if wall else None}, indent=2))
    if not args.no_write:
        rows = "\n".join(
            f"| {side.name} | {side.orders} | {side.per_second:.1f} | "
            f"{' / '.join(f'{r:.1f}' for r in side.rounds)} | {pct(side.orders_ms, 50):.1f} | "
            f"{pct(side.orders_ms, 99):.1f} | {pct(side.checkout_ms, 99):.1f} | {side.errors} |"
            for side in measured)
        flags = " --oscar-url URL --oscar-seed SEED" if oscar else ""
        verdict = (f"Livedock / oscar: **{ratio:.2f}x** orders/s (target: at least 3x, with a p99 under 300 ms)."
                   if ratio else "Run with --oscar-url to compare.")
        shipped = args.worker_class == SHIPPED_WORKER_CLASS
        server = (f"{args.workers} ASGI (uvicorn) workers, production settings and pooled connections, as shipped"
                  if shipped else f"{args.workers} `{args.worker_class}` workers x {args.threads} threads serving the "
                  f"WSGI application, production settings and pooled connections (not the shipped ASGI workers)")
        if not shipped:
            flags += f" --worker-class {args.worker_class}" + (f" --threads {args.threads}" if args.threads > 1 else "")
        write_section(f"checkout-vs-oscar-{args.buyers}" + ("" if shipped else f"-{args.worker_class}"), f"""
## Plain checkout beside django-oscar, {args.buyers} buyers (`bench/checkout_vs_oscar.py{flags}`)

Each of {args.buyers} buyers in a loop adds one unit of a SKU (900 SKUs) and places the order, all of them at
once, {args.rounds} rounds of {args.seconds:.0f} s per side, alternating the sides. Livedock: gunicorn with
{server}, JWT and Idempotency-Key, the duty and tax quote, and the order's payment asked for (a worker would
create the PaymentIntent; none runs here). django-oscar 4.2.1 + oscar-api 3.3.0 with 2 sync gunicorn workers (the peer's
harness), session cookie and CSRF, no payment step. PostgreSQL on loopback, one server each; client and
servers share the cores. Latency of an order is the add plus the checkout request. Measured
{dt.datetime.now(dt.UTC).date().isoformat()} on {load_at_start}.

| side | orders | orders/s | orders/s per round | p50 order ms | p99 order ms | p99 checkout ms | errors |
|---|---|---|---|---|---|---|---|
{rows}

{verdict}
The load generator used {client_cpu / wall if wall else 0:.0%} of a core.
""")
    return 0 if not any(side.errors for side in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
