"""The local Stripe-compatible server can be as slow as Stripe, so tests and benchmarks can measure what
waiting on Stripe costs. It runs as a child process of this test and is stopped by its PID."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import stripe

from devtools import stripe_local


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv(stripe_local.LATENCY_ENV, "300")  # as the benchmarks and the run stack set it
    proc, url = stripe_local.start()
    yield url
    stripe_local.stop(proc)


def timed_create(url: str) -> float:
    client = stripe.StripeClient("sk_test_latency", base_addresses={"api": url}, max_network_retries=0)
    started = time.monotonic()
    client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur", "payment_method_types": ["card"]})
    return time.monotonic() - started


def test_each_api_call_waits_the_latency_asked_for_and_calls_wait_side_by_side(server):
    # Started with STRIPE_LOCAL_LATENCY_MS=300: each call through Stripe's SDK takes at least 300 ms
    assert timed_create(server) >= 0.3
    # ... and eight calls at once take about one latency, not eight: they wait concurrently, as Stripe's do
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        each = list(pool.map(lambda _: timed_create(server), range(8)))
    assert min(each) >= 0.3 and time.monotonic() - started < 8 * 0.3
    # Set to 0 while running, it answers at once again; set higher, every call waits longer
    stripe_local.latency_set(server, 0)
    assert timed_create(server) < 0.3
    stripe_local.latency_set(server, 700)
    assert timed_create(server) >= 0.7
    # The control endpoints of the server are never delayed
    started = time.monotonic()
    stripe_local.flush(server)
    assert time.monotonic() - started < 0.3
