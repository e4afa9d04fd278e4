"""In-process profile of a plain checkout through the real API: add one unit to the cart
(`POST /api/v1/cart/lines/`), then place the order (`POST /api/v1/checkout/`, which also asks for the order's
PaymentIntent: a payment row and a task for the payments worker). Django's test client with a JWT bearer
token, the project's settings and middleware, PostgreSQL and Redis as configured (a scratch database of its
own; tasks go to the configured broker, no worker needs to run).

Prints, per request kind: SQL statements and transactions per request, ms per request (median and mean,
without profiling; wall time, and the CPU time of this process alone, which moves less when other work shares
the machine), and the functions with the most cumulative time under cProfile.

    .venv/bin/python bench/checkout_profile.py [--checkouts 200] [--top 30] [--sql]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout_seed import seed_checkout  # noqa: E402
from bench.common import bench_database_url, django_setup, machine_line, recreate_database  # noqa: E402

ADD, CHECKOUT = "add to cart", "checkout"


class Counts:
    """Statements and transactions of the requests run inside `measure()`: a transaction is an outermost
    atomic block (one COMMIT or ROLLBACK) or a statement run in autocommit."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.statements: list[str] = []
        self.transactions = 0

    def _execute(self, execute, sql, params, many, context):
        self.statements.append(sql)
        if not self.connection.in_atomic_block:
            self.transactions += 1
        return execute(sql, params, many, context)

    def measure(self, call):
        from django.db.backends.base import base

        commit, rollback = base.BaseDatabaseWrapper.commit, base.BaseDatabaseWrapper.rollback
        counts = self

        def counted(method):
            def wrapper(conn, *args, **kwargs):
                counts.transactions += 1
                return method(conn, *args, **kwargs)
            return wrapper

        base.BaseDatabaseWrapper.commit, base.BaseDatabaseWrapper.rollback = counted(commit), counted(rollback)
        try:
            with self.connection.execute_wrapper(self._execute):
                return call()
        finally:
            base.BaseDatabaseWrapper.commit, base.BaseDatabaseWrapper.rollback = commit, rollback


def statement_head(sql: str) -> str:
    """The statement without the audit context prefix and its parameters, shortened for a listing."""
    if sql.startswith("SELECT set_config('pghistory"):
        sql = sql.split("; ", 1)[-1]
    return " ".join(sql.split())[:150]


class Shopper:
    def __init__(self, seed):
        from django.urls import reverse
        from rest_framework.test import APIClient

        self.seed = seed
        self.clients = [APIClient(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {b.token}")
                        for b in seed.buyers]
        self.lines_url, self.checkout_url = reverse("orders:cart-line-list"), reverse("orders:checkout")
        self.n = 0

    def add(self, i: int):
        sku = self.seed.skus[(i * 7919) % len(self.seed.skus)]
        response = self.clients[i % len(self.clients)].post(self.lines_url, {"variant": sku, "quantity": 1},
                                                            format="json")
        assert response.status_code == 201, response.content
        return response

    def checkout(self, i: int):
        buyer = self.seed.buyers[i % len(self.seed.buyers)]
        self.n += 1
        response = self.clients[i % len(self.clients)].post(
            self.checkout_url, {"address_id": buyer.address_id}, format="json",
            HTTP_IDEMPOTENCY_KEY=f"profile-{os.getpid()}-{self.n}")
        assert response.status_code == 201, response.content
        return response


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--buyers", type=int, default=16)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="List the statements of one add and one checkout.")
    parser.add_argument("--own", action="store_true", help="Also list the functions with the most time of their own.")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_checkout_profile")
    recreate_database(url)
    os.environ["LIVEDOCK_ACCESS_LOG"] = "false"  # one line per request to the terminal otherwise
    django_setup(url)
    print(f"Seeding ({machine_line()}) ...", flush=True)
    shopper = Shopper(seed_checkout(buyers=args.buyers))
    return run(shopper, args)


def run(shopper: Shopper, args) -> int:
    for i in range(40):  # warm up: imports, caches, every buyer's cart row, connections
        shopper.add(i)
        shopper.checkout(i)

    counted = {ADD: [], CHECKOUT: []}
    listing = {}
    for i in range(20):
        for kind, call in ((ADD, shopper.add), (CHECKOUT, shopper.checkout)):
            counts = Counts()
            counts.measure(lambda call=call, i=i: call(i))
            counted[kind].append((len(counts.statements), counts.transactions))
            listing[kind] = counts.statements

    elapsed = {ADD: [], CHECKOUT: []}
    cpu = {ADD: [], CHECKOUT: []}
    for i in range(args.checkouts):
        for kind, call in ((ADD, shopper.add), (CHECKOUT, shopper.checkout)):
            started, cpu_started = time.perf_counter(), time.process_time()
            call(i)
            elapsed[kind].append((time.perf_counter() - started) * 1000)
            cpu[kind].append((time.process_time() - cpu_started) * 1000)

    profiles = {ADD: cProfile.Profile(), CHECKOUT: cProfile.Profile()}
    for i in range(args.checkouts):
        for kind, call in ((ADD, shopper.add), (CHECKOUT, shopper.checkout)):
            profiles[kind].runcall(call, i)

    print(f"\n{args.checkouts} checkouts (add one unit + place the order) by {args.buyers} buyers, one at a time\n")
    print("| request | SQL statements | transactions | ms median | ms mean | CPU ms of this process, mean |")
    print("|---|---|---|---|---|---|")
    for kind in (ADD, CHECKOUT):
        statements = Counter(n for n, _ in counted[kind])
        transactions = Counter(t for _, t in counted[kind])
        print(f"| {kind} | {'/'.join(str(n) for n in sorted(statements))} | "
              f"{'/'.join(str(t) for t in sorted(transactions))} | {statistics.median(elapsed[kind]):.1f} | "
              f"{statistics.fmean(elapsed[kind]):.1f} | {statistics.fmean(cpu[kind]):.1f} |")
    if args.sql:
        for kind in (ADD, CHECKOUT):
            print(f"\nStatements of one {kind}:")
            for n, sql in enumerate(listing[kind], 1):
                print(f"{n:3d}  {statement_head(sql)}")
    root = str(Path(__file__).resolve().parent.parent) + "/"
    for kind in (ADD, CHECKOUT):
        stats = pstats.Stats(profiles[kind], stream=io.StringIO())
        per_request = stats.total_tt / args.checkouts * 1000  # type: ignore[attr-defined]
        rows = stats.stats.items()  # type: ignore[attr-defined]
        # The request's own call chain (client, handler, middleware, view) holds all of it: start below that.
        below = [row for row in rows if row[1][3] / args.checkouts * 1000 < 0.9 * per_request]
        print(f"\n{kind}: {per_request:.1f} ms per request under the profiler. Top {args.top} by cumulative time "
              f"below the request's own call chain (ms per request, calls per request):")
        for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in sorted(
                below, key=lambda row: row[1][3], reverse=True)[:args.top]:
            where = filename.replace(root, "").split("site-packages/", 1)[-1]
            print(f"{cumulative / args.checkouts * 1000:8.2f}  {calls / args.checkouts:6.1f}  {where}:{line}({name})")
        if args.own:
            print(f"\n{kind}: top {args.top} by own time (ms per request, calls per request):")
            for (filename, line, name), (_cc, calls, own, _cumulative, _callers) in sorted(
                    rows, key=lambda row: row[1][2], reverse=True)[:args.top]:
                where = filename.replace(root, "").split("site-packages/", 1)[-1]
                print(f"{own / args.checkouts * 1000:8.2f}  {calls / args.checkouts:6.1f}  {where}:{line}({name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
