"""Live deal end to end: every buyer taps "buy" (a claim), puts the claim in the cart, checks out, waits for
the PaymentIntent (created by the payments worker, never in the request), pays it on Stripe and Stripe's
webhook marks the order paid. Run on the configuration we ship: gunicorn with ASGI workers, the default
Celery worker and the payments worker on threads, the local Stripe-compatible server made as slow as Stripe
(--stripe-latency-ms, 300 by default). Prints orders/s completed (claim to payment succeeded), p50/p99 of a
buyer's whole purchase, and checks that every claim became exactly one paid order; records the run in
docs/benchmarks.md.

    .venv/bin/python bench/live_orders.py [--buyers 500] [--in-flight 64] [--stripe-latency-ms 300]

Bounded: every request times out after 60 s, the run after --max-seconds; processes are stopped by PID.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    SHIPPED_ENV,
    Gunicorn,
    bench_database_url,
    cpu_seconds,
    django_setup,
    machine_cpu_seconds,
    machine_line,
    recreate_database,
    write_section,
)
from bench.flash_sale import pct, seed  # noqa: E402

WEBHOOK_PATH = "/api/v1/payments/stripe/webhook/"
WORKERS = (  # as docker-compose.yml runs them
    ["-Q", "celery", "--concurrency", "2"],
    ["-Q", "payments", "-P", "threads", "--concurrency", "32"],
)


async def _http(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                content_type: str = "application/json") -> tuple[int, bytes]:
    payload = body or b""
    head = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    request = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
               f"Content-Length: {len(payload)}\r\nConnection: close\r\n{head}\r\n").encode() + payload
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head_part, _, content = raw.partition(b"\r\n\r\n")
    status = int(head_part.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head_part.lower():
        content = _unchunked(content)
    return status, content


def _unchunked(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return bytes(out)


def _signed(event: dict, secret: str) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    timestamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={digest}"


STEPS: dict[str, list[float]] = {}  # step -> seconds, over every buyer who got that far


def _step(name: str, since: float) -> float:
    now = time.perf_counter()
    STEPS.setdefault(name, []).append(now - since)
    return now


async def _buyer(app: int, stripe: int, deal_id: int, sku: str, token: str, address_id: int, index: int,
                 secrets: tuple[str, str]) -> tuple[str, float]:
    """One buyer's purchase; returns its outcome and seconds from tap to webhook acknowledged."""
    api_key, webhook_secret = secrets
    auth = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    status, body = await _http(app, "POST", f"/api/v1/live/deals/{deal_id}/claims/",
                               json.dumps({"sku": sku}).encode(), {**auth, "Idempotency-Key": f"e2e-claim-{index}"})
    if status == 409:
        return "refused", 0.0
    if status != 201:
        return f"claim {status}", 0.0
    claim_id = json.loads(body)["id"]
    mark = _step("claim", started)
    status, body = await _http(app, "POST", "/api/v1/cart/lines/",
                               json.dumps({"variant": sku, "quantity": 1, "claim": claim_id}).encode(), auth)
    if status != 201:
        return f"cart {status}", 0.0
    mark = _step("cart", mark)
    status, body = await _http(app, "POST", "/api/v1/checkout/", json.dumps({"address_id": address_id}).encode(),
                               {**auth, "Idempotency-Key": f"e2e-order-{index}"})
    if status != 201:
        return f"checkout {status}", 0.0
    number = json.loads(body)["number"]
    mark = _step("checkout", mark)
    intent = ""
    for _ in range(60):  # the payments worker creates the intent; the buyer's page polls for it, once a second
        # as the API asks (its first look comes at once: the worker may have been quicker than the answer)
        status, body = await _http(app, "GET", f"/api/v1/orders/{number}/payment/", headers=auth)
        payment = json.loads(body) if status == 200 else {}
        if payment.get("client_secret"):
            intent = payment["intent_id"]
            break
        await asyncio.sleep(1.0)
    if not intent:
        return "no intent", 0.0
    mark = _step("intent (worker, polled)", mark)
    stripe_auth = {"Authorization": f"Bearer {api_key}"}
    form = "application/x-www-form-urlencoded"  # what Stripe.js does: attach the card, then confirm
    status, body = await _http(stripe, "POST", f"/v1/payment_intents/{intent}", b"payment_method=pm_card_visa",
                               stripe_auth, form)
    if status == 200:
        status, body = await _http(stripe, "POST", f"/v1/payment_intents/{intent}/confirm", b"", stripe_auth, form)
    if status != 200:
        return f"stripe {status}", 0.0
    mark = _step("pay on Stripe (2 calls)", mark)
    event = {"id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": "payment_intent.succeeded",
             "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
             "data": {"object": json.loads(body)}}
    payload, signature = _signed(event, webhook_secret)
    status, _ = await _http(app, "POST", WEBHOOK_PATH, payload, {"Stripe-Signature": signature})
    if status != 200:
        return f"webhook {status}", 0.0
    _step("webhook", mark)
    return "ordered", time.perf_counter() - started


async def _sale(app: int, stripe: int, deal_id: int, sku: str, buyers, in_flight: int, max_seconds: float,
                secrets: tuple[str, str]):
    gate = asyncio.Semaphore(in_flight)

    async def one(index: int, token: str, address_id: int):
        async with gate:
            try:
                return await asyncio.wait_for(
                    _buyer(app, stripe, deal_id, sku, token, address_id, index, secrets), 120)
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                return f"error {type(exc).__name__}", 0.0

    return await asyncio.wait_for(asyncio.gather(*(one(i, t, a) for i, (t, a) in enumerate(buyers))), max_seconds)


def _cpu(pids) -> float:
    return sum(cpu_seconds(pid) for pid in (pids if isinstance(pids, list) else [pids]))


def _workers(url: str, env: dict[str, str], lifetime: float) -> list[subprocess.Popen]:
    procs = []
    for index, options in enumerate(WORKERS):
        procs.append(subprocess.Popen(
            [shutil.which("timeout") or "timeout", str(int(lifetime)), sys.executable, "-m", "celery", "-A", "config",
             "worker", *options,
             "-l", "WARNING", "-n", f"bench{index}@127.0.0.1", "--without-mingle", "--without-gossip"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url, **SHIPPED_ENV, **env}))
    return procs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=500)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stripe-latency-ms", type=int, default=300)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_orders")
    recreate_database(url)
    django_setup(url)
    print(f"Seeding {args.buyers} buyers and a deal of {args.buyers} units ...", flush=True)
    _level, buyers, deal_id = seed(args.buyers, args.buyers, deal_cap=args.buyers, deal_in_cart=False)

    import redis
    from django.conf import settings

    from devtools import stripe_local
    from livestream.models import DealClaim
    from orders.models import Order
    from payments.models import Payment
    from shop.models import Variant

    redis.Redis.from_url(settings.LIVEDOCK_GATE_REDIS_URL).flushdb()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    machine = machine_line()  # before anything of the run loads the machine
    sku = Variant.objects.values_list("sku", flat=True).get()
    stripe_proc, stripe_url = stripe_local.start(latency_ms=args.stripe_latency_ms)
    env = {"STRIPE_API_BASE": stripe_url, "STRIPE_SEND_TRANSFER_GROUP": "false", "STRIPE_MAX_NETWORK_RETRIES": "2",
           "LOG_LEVEL": "WARNING"}
    workers = _workers(url, env, args.max_seconds + 120)
    secrets = (settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET)
    try:
        time.sleep(4)  # the workers connect to the broker
        with Gunicorn(url, workers=args.workers, env=env) as server:
            parts = {"web": server.proc.pid, "workers": [p.pid for p in workers], "Stripe server": stripe_proc.pid}
            cpu_before = {name: _cpu(pids) for name, pids in parts.items()}
            client_before, machine_before = sum(os.times()[:2]), machine_cpu_seconds()
            started = time.perf_counter()
            outcomes = asyncio.run(_sale(server.port, urlsplit(stripe_url).port, deal_id, sku, buyers,
                                         args.in_flight, args.max_seconds, secrets))
            deadline = time.monotonic() + 60
            paid = 0
            while time.monotonic() < deadline:  # the webhooks' tasks finish on the worker
                paid = Payment.objects.filter(status=Payment.Status.SUCCEEDED).count()
                if paid >= sum(1 for o, _ in outcomes if o == "ordered"):
                    break
                time.sleep(0.1)
            elapsed = time.perf_counter() - started
            cpu = {name: _cpu(pids) - cpu_before[name] for name, pids in parts.items()}
            cpu["client (this process)"] = sum(os.times()[:2]) - client_before
            busy = machine_cpu_seconds() - machine_before
            cpu["PostgreSQL, Redis and the rest"] = busy - sum(cpu.values())
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        stripe_local.stop(stripe_proc)

    kinds: dict[str, int] = {}
    for outcome, _ in outcomes:
        kinds[outcome] = kinds.get(outcome, 0) + 1
    durations = [seconds * 1000 for outcome, seconds in outcomes if outcome == "ordered"] or [0.0]
    claims = DealClaim.objects.filter(deal_id=deal_id).count()
    orders = Order.objects.count()
    summary = {
        "buyers": len(outcomes), "outcomes": kinds, "claims": claims, "orders": orders, "paid": paid,
        "elapsed_s": round(elapsed, 2), "paid_orders_per_s": round(paid / elapsed, 1),
        "purchase_p50_ms": round(pct(durations, 50)), "purchase_p99_ms": round(pct(durations, 99)),
    }
    steps = {name: f"p50 {pct(v, 50) * 1000:.0f} ms, p99 {pct(v, 99) * 1000:.0f} ms" for name, v in STEPS.items()}
    summary["steps"] = steps
    summary["cpu_ms_per_paid_order"] = {name: round(seconds * 1000 / max(paid, 1), 1) for name, seconds in cpu.items()}
    summary["machine_busy"] = f"{busy / elapsed:.2f} of {os.cpu_count()} cores"
    print(json.dumps(summary, indent=2))
    ok = paid == orders == claims == kinds.get("ordered", 0) == min(args.buyers, len(outcomes))
    if not args.no_write:
        write_section("live-orders", f"""
## Live deal end to end: claim, checkout, PaymentIntent, payment, webhook (`bench/live_orders.py`)

{args.buyers:,} buyers for {args.buyers:,} units, {args.in_flight} buyers at a time; each claims, puts the claim
in the cart, checks out, polls (once a second, as the API asks) until the payments worker has created the
PaymentIntent, confirms it on the local Stripe-compatible server answering after
**{args.stripe_latency_ms} ms** per call (as Stripe does), and the signed webhook marks the order paid (acted
on by the payments worker). Gunicorn with {args.workers} ASGI workers, a default Celery worker (2 processes)
and the payments worker (32 threads), as docker-compose.yml runs them;
PostgreSQL and Redis on loopback; the client shares the 2 cores. Measured
{dt.datetime.now(dt.UTC).date().isoformat()} on {machine}.

| buyers | claims | orders | paid | paid orders/s | purchase p50 ms | purchase p99 ms | other outcomes |
|---|---|---|---|---|---|---|---|
| {len(outcomes)} | {claims} | {orders} | {paid} | {summary["paid_orders_per_s"]} | {summary["purchase_p50_ms"]} \
| {summary["purchase_p99_ms"]} | {", ".join(f"{k}: {v}" for k, v in kinds.items() if k != "ordered") or "none"} |

Time per step of a buyer's purchase: {"; ".join(f"{name} {v}" for name, v in steps.items())}.
CPU per paid order: {"; ".join(f"{name} {v} ms" for name, v in summary["cpu_ms_per_paid_order"].items())};
the machine was busy {summary["machine_busy"]}.
""")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
