"""Metrics for a Prometheus-style scraper, at GET /metrics.

Counters and histograms live in Redis, so every web process and every Celery worker process adds to
the same numbers and one scrape of any web instance sees the whole system. Recording is one pipelined
round trip with a short timeout and never fails the request or task that records (a Redis outage loses
samples, nothing else). Gauges that describe state (orders by status, declarations by status, units
reserved) are read from PostgreSQL at scrape time by providers that the apps register.

Redis holds no durable data here: when it restarts, counters start again from zero, which Prometheus'
rate() treats as a counter reset.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache

import redis
from django.conf import settings
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

logger = logging.getLogger(__name__)

KEY = "livedock:metrics"
# Seconds. Requests and tasks share the buckets: from a cache hit to a slow gateway call.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

HELP = {
    "livedock_http_requests": "HTTP requests by method, URL pattern and status.",
    "livedock_http_request_duration_seconds": "HTTP request latency by method and URL pattern.",
    "livedock_task_duration_seconds": "Celery task run time by task name and final state.",
    "livedock_task_failures": "Celery tasks that raised (after their own retries) by task name.",
    "livedock_task_retries": "Celery task retries by task name.",
    "livedock_stock_reservations": "Units reserved for new orders, by source (checkout or flash deal).",
    "livedock_oversell_refusals": "Requests refused because the stock or the flash deal had too few units.",
}

GaugeProvider = Callable[[], Iterable[GaugeMetricFamily]]
_gauge_providers: list[GaugeProvider] = []


@lru_cache(maxsize=1)
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.LIVEDOCK_METRICS_REDIS_URL, socket_timeout=0.25,
                                socket_connect_timeout=0.25, health_check_interval=30)


def _field(name: str, labels: dict[str, str], suffix: str = "") -> str:
    return json.dumps([name, sorted(labels.items()), suffix], separators=(",", ":"))


def increment(name: str, labels: dict[str, str] | None = None, amount: int = 1) -> None:
    """Add to a counter (name without the _total suffix)."""
    try:
        _client().hincrby(KEY, _field(name, labels or {}, "total"), amount)
    except redis.RedisError as exc:
        logger.debug("metric %s not recorded: %s", name, exc)


def _add_observation(pipe, name: str, labels: dict[str, str], seconds: float) -> None:
    bucket = next((str(b) for b in BUCKETS if seconds <= b), "+Inf")
    pipe.hincrby(KEY, _field(name, labels, "bucket:" + bucket), 1)
    pipe.hincrby(KEY, _field(name, labels, "count"), 1)
    pipe.hincrbyfloat(KEY, _field(name, labels, "sum"), seconds)


def observe(name: str, labels: dict[str, str], seconds: float) -> None:
    """Add one observation to a histogram (buckets are stored non-cumulative and summed at scrape)."""
    try:
        pipe = _client().pipeline(transaction=False)
        _add_observation(pipe, name, labels, seconds)
        pipe.execute()
    except redis.RedisError as exc:
        logger.debug("metric %s not recorded: %s", name, exc)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """One request: its count by status and its latency, in one round trip."""
    if route == "/metrics":
        return  # the scraper's own requests would drown everything else
    try:
        pipe = _client().pipeline(transaction=False)
        pipe.hincrby(KEY, _field("livedock_http_requests", {"method": method, "route": route,
                                                            "status": str(status)}, "total"), 1)
        _add_observation(pipe, "livedock_http_request_duration_seconds", {"method": method, "route": route},
                         seconds)
        pipe.execute()
    except redis.RedisError as exc:
        logger.debug("request metric not recorded: %s", exc)


def register_gauges(provider: GaugeProvider) -> None:
    """Apps register functions that read current state from the database at scrape time."""
    if provider not in _gauge_providers:
        _gauge_providers.append(provider)


def gauge(name: str, documentation: str, label: str, values: dict[str, float]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label] if label else [])
    for key, value in sorted(values.items()):
        family.add_metric([key] if label else [], value)
    return family


class Collector:
    """Turns the Redis hash and the registered gauges into metric families for one scrape."""

    def collect(self):
        try:
            raw = _client().hgetall(KEY)
        except redis.RedisError as exc:  # the database gauges still answer while Redis is away
            logger.warning("metrics counters unavailable: %s", exc)
            raw = {}
        counters: dict[str, list] = {}
        histograms: dict[tuple[str, tuple], dict] = {}
        for field, value in raw.items():
            name, labels, suffix = json.loads(field)
            labels = tuple(tuple(pair) for pair in labels)
            if suffix == "total":
                counters.setdefault(name, []).append((labels, float(value)))
            else:
                entry = histograms.setdefault((name, labels), {"buckets": {}, "sum": 0.0, "count": 0})
                if suffix.startswith("bucket:"):
                    entry["buckets"][suffix[7:]] = int(value)
                else:
                    entry[suffix] = float(value)
        for name in sorted(counters):
            rows = sorted(counters[name])
            family = CounterMetricFamily(name, HELP.get(name, name), labels=[k for k, _ in rows[0][0]])
            for labels, value in rows:
                family.add_metric([v for _, v in labels], value)
            yield family
        by_name: dict[str, list] = {}
        for (name, labels), entry in sorted(histograms.items()):
            by_name.setdefault(name, []).append((labels, entry))
        for name, rows in by_name.items():
            family = HistogramMetricFamily(name, HELP.get(name, name), labels=[k for k, _ in rows[0][0]])
            for labels, entry in rows:
                running, cumulative = 0, []
                for bound in (*map(str, BUCKETS), "+Inf"):
                    running += entry["buckets"].get(bound, 0)
                    cumulative.append((bound, running))
                family.add_metric([v for _, v in labels], cumulative, sum_value=entry["sum"])
            yield family
        for provider in _gauge_providers:
            yield from provider()
