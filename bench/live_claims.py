"""Live-deal claim storm: buyers tap "buy" on one live deal at once, through the claim API (the Redis gate,
a claim row in PostgreSQL), on the server configuration we ship (gunicorn with ASGI workers, pooled
connections). Prints answers/s, p50/p99 latency, claims made (must equal the cap), over-limit buyers
(must be 0) and errors (must be 0), and records them in docs/benchmarks.md.

    .venv/bin/python bench/live_claims.py [--buyers 2000] [--cap 500] [--in-flight 256] [--workers 2]

One buyer in ten sends three parallel claims (each with its own Idempotency-Key) to try to beat the
per-buyer limit of 1. Bounded: each request times out after 60 s and the run after --max-seconds.
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
from bench.flash_sale import _post, pct, seed  # noqa: E402


async def _storm(port: int, deal_id: int, sku: str, buyers: list[tuple[str, int]], in_flight: int,
                 max_seconds: float) -> tuple[list[tuple[int, float]], float]:
    gate = asyncio.Semaphore(in_flight)
    results: list[tuple[int, float]] = []

    async def one(index: int, attempt: int, token: str) -> None:
        async with gate:
            try:
                results.append(await asyncio.wait_for(_post(
                    port, f"/api/v1/live/deals/{deal_id}/claims/", {"sku": sku, "quantity": 1},
                    {"Authorization": f"Bearer {token}", "Idempotency-Key": f"claim-{index}-attempt-{attempt}"}), 60))
            except (TimeoutError, OSError, IndexError, ValueError):
                results.append((0, 0.0))

    jobs = [one(i, attempt, token) for i, (token, _address) in enumerate(buyers)
            for attempt in range(3 if i % 10 == 0 else 1)]
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*jobs), max_seconds)
    return results, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=2000)
    parser.add_argument("--cap", type=int, default=500)
    parser.add_argument("--in-flight", type=int, default=256)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--worker-class", default=None, help="gunicorn worker class (default: as shipped, ASGI)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_claims")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.buyers} buyers and a deal of {args.cap} units ...", flush=True)
    _level_id, buyers, deal_id = seed(args.buyers, args.cap, deal_cap=args.cap)

    import redis
    from django.conf import settings

    from livestream.models import DealClaim
    from shop.models import Variant

    redis.Redis.from_url(settings.LIVEDOCK_GATE_REDIS_URL).flushdb()  # no gate keys of an earlier run's deal ids
    sku = Variant.objects.values_list("sku", flat=True).get()
    server_options = {"worker_class": args.worker_class} if args.worker_class else {}
    with Gunicorn(url, workers=args.workers, **server_options) as server:
        idle_mb = server.peak_memory_mb()
        results, elapsed = asyncio.run(_storm(server.port, deal_id, sku, buyers, args.in_flight, args.max_seconds))
        peak_mb = server.peak_memory_mb()

    claims = DealClaim.objects.filter(deal_id=deal_id)
    made = claims.count()
    from django.db.models import Count

    over_limit = claims.values("buyer").annotate(n=Count("id")).filter(n__gt=1).count()
    statuses = Counter(status for status, _ in results)
    # A 503 is a clean answer when it says when to come back (the claim's retry is safe with its key).
    errors = sum(n for status, n in statuses.items() if not (200 <= status < 500 or status == 503))
    latencies = [ms for status, ms in results if status]
    summary = {
        "requests": len(results), "claimed": statuses.get(201, 0), "refused": statuses.get(409, 0),
        "errors": errors, "claims_in_db": made, "oversold": max(0, made - args.cap), "over_limit": over_limit,
        "elapsed_s": round(elapsed, 2), "answers_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(pct(latencies, 50), 1), "p99_ms": round(pct(latencies, 99), 1),
        "statuses": dict(sorted(statuses.items())),
        "server_memory_mb": f"{idle_mb} -> {peak_mb}",
    }
    print(json.dumps(summary, indent=2))
    ok = made == min(args.cap, args.buyers) and over_limit == 0 and errors == 0
    if not args.no_write:
        header = ("| requests | claimed (201) | refused (409) | busy (503) | errors | claims in DB | oversold "
                  "| over per-buyer limit | answers/s | p50 ms | p99 ms | server memory MiB (idle -> peak) |\n"
                  + "|---" * 12 + "|")
        summary["busy"] = statuses.get(503, 0)
        row = "| " + " | ".join(str(summary[k]) for k in (
            "requests", "claimed", "refused", "busy", "errors", "claims_in_db", "oversold", "over_limit",
            "answers_per_s", "p50_ms", "p99_ms", "server_memory_mb")) + " |"
        write_section(f"live-claims-{args.in_flight}", f"""
## Live-deal claims, {args.buyers:,} buyers for {args.cap} units, {args.in_flight} in flight \
(`bench/live_claims.py --in-flight {args.in_flight}`)

`POST /api/v1/live/deals/{{id}}/claims/` (JWT auth, Idempotency-Key, the Redis gate, a claim row in
PostgreSQL), one buyer in ten sending three parallel claims against a per-buyer limit of 1; gunicorn with
{args.workers} {"ASGI (uvicorn)" if not args.worker_class else args.worker_class} workers, production settings
(JSON access log per request, multiprocess metrics, pooled connections), PostgreSQL and Redis on loopback; the
asyncio client opens a connection per request and shares the 2 cores. Measured
{dt.datetime.now(dt.UTC).date().isoformat()} on {machine_line()}.

{header}
{row}
""")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
