"""The per-client rate: a sliding window in the cache, exact under parallel requests, with no fresh budget
at a window's edge and a Retry-After that is honest."""

from types import SimpleNamespace

import pytest

from config import throttling
from config.throttling import rate_limit_hit
from tests.helpers import race

pytestmark = pytest.mark.django_db  # the cache is the test Redis, emptied for each test

START = 1_800_000_000.0  # a window edge for 1-minute windows


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, set by the test (the cache's own expiry still runs in real time)."""
    now = SimpleNamespace(value=START + 1)
    monkeypatch.setattr(throttling, "time", SimpleNamespace(time=lambda: now.value))
    return now


def hit(client="198.51.100.4"):
    return rate_limit_hit(scope="auth-login", client=client)  # 10 per minute


def test_ten_a_minute_then_a_wait(clock):
    assert [hit() for _ in range(10)] == [0] * 10
    wait = hit()
    assert 0 < wait <= 120
    assert hit(client="192.0.2.7") == 0  # another client has its own budget


def test_a_windows_edge_hands_out_no_fresh_budget(clock):
    clock.value = START + 59.9
    assert [hit() for _ in range(8)] == [0] * 8
    clock.value = START + 60.1
    answers = [hit() for _ in range(3)]
    assert answers[:2] == [0, 0] and answers[2] > 0  # 8 just before the edge still count


def test_retry_after_says_when_a_request_gets_through_again(clock):
    assert [hit() for _ in range(9)] == [0] * 9
    clock.value = START + 61
    assert hit() == 0  # 9 x 59/60 + 1 fits
    wait = hit()  # 9 x 59/60 + 2 does not
    assert wait == 13  # by then 9 x 46/60 + 3 fits again
    clock.value += wait
    assert hit() == 0


@pytest.mark.concurrency
def test_parallel_requests_get_exactly_the_budget(clock):
    results = race([hit for _ in range(30)])
    assert sorted(value == 0 for kind, value in results if kind == "ok") == [False] * 20 + [True] * 10
