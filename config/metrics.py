"""Metrics for a Prometheus-style scraper, at GET /metrics.

Counters and histograms are prometheus_client metrics, recorded in the memory of the process that counts:
no network round trip per request and nothing written to the Redis the broker and cache use. Where several
processes serve one scrape (gunicorn's web workers, Celery's pool processes, on one machine), they run in
prometheus_client's multiprocess mode: PROMETHEUS_MULTIPROC_DIR names a directory, fresh at each start of
the stack, in which every process keeps its values in a memory-mapped file, and /metrics adds up the files
of all of them. Without it (tests, a management command, a single development process) /metrics reads this
process's own values.

Labels take values from closed sets only, so no caller can add series: the resolved URL pattern (never the
path), the HTTP method out of a fixed list (anything else is "other"), the status code, a registered task's
name and state, an error code. Gauges that describe state (orders by status, declarations by status, units
reserved) are read from PostgreSQL at scrape time by providers that the apps register.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client import values as prometheus_values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

# prometheus_client reads this variable itself when a value is first created, so it is read here from the
# environment as well, not from Django's settings (Celery imports this module before settings are loaded).
MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if MULTIPROCESS_DIR:
    os.makedirs(MULTIPROCESS_DIR, exist_ok=True)
    _HOST = socket.gethostname()
    # Containers sharing the directory number their processes from 1 each: the host name keeps their files
    # apart (one file per process, `counter_<host>-<pid>.db`).
    prometheus_values.ValueClass = prometheus_values.MultiProcessValue(
        process_identifier=lambda: f"{_HOST}-{os.getpid()}")

# Seconds. Requests and tasks share the buckets: from a cache hit to a slow gateway call.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# The methods a label may name (RFC 9110 section 9, and PATCH); an invented method is counted as "other".
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
OTHER_METHOD = "other"

# This process's own values: what /metrics reads when processes do not share a directory.
REGISTRY = CollectorRegistry(auto_describe=True)

_COUNTERS = {
    name: Counter(name, documentation, labels, registry=REGISTRY)
    for name, documentation, labels in (
        ("livedock_http_requests", "HTTP requests by method, URL pattern and status.", ["method", "route", "status"]),
        ("livedock_task_failures", "Celery tasks that raised (after their own retries) by task name.", ["task"]),
        ("livedock_task_retries", "Celery task retries by task name.", ["task"]),
        ("livedock_stock_reservations", "Units reserved for new orders, by source (checkout or flash deal).",
         ["source"]),
        ("livedock_oversell_refusals", "Requests refused because the stock or the flash deal had too few units.",
         ["code"]),
    )
}
_HISTOGRAMS = {
    name: Histogram(name, documentation, labels, buckets=BUCKETS, registry=REGISTRY)
    for name, documentation, labels in (
        ("livedock_http_request_duration_seconds", "HTTP request latency by method and URL pattern.",
         ["method", "route"]),
        ("livedock_task_duration_seconds", "Celery task run time by task name and final state.", ["task", "state"]),
    )
}

GaugeProvider = Callable[[], Iterable[GaugeMetricFamily]]
_gauge_providers: list[GaugeProvider] = []


def increment(name: str, labels: dict[str, str] | None = None, amount: int = 1) -> None:
    """Add to a counter (name without the _total suffix)."""
    _COUNTERS[name].labels(**(labels or {})).inc(amount)


def observe(name: str, labels: dict[str, str], seconds: float) -> None:
    """Add one observation to a histogram."""
    _HISTOGRAMS[name].labels(**labels).observe(seconds)


def method_label(method: str) -> str:
    return method if method in HTTP_METHODS else OTHER_METHOD


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """One request: its count by status and its latency."""
    if route == "/metrics":
        return  # the scraper's own requests would drown everything else
    method = method_label(method)
    increment("livedock_http_requests", {"method": method, "route": route, "status": str(status)})
    observe("livedock_http_request_duration_seconds", {"method": method, "route": route}, seconds)


def register_gauges(provider: GaugeProvider) -> None:
    """Apps register functions that read current state from the database at scrape time."""
    if provider not in _gauge_providers:
        _gauge_providers.append(provider)


def gauge(name: str, documentation: str, label: str, values: dict[str, float]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label] if label else [])
    for key, value in sorted(values.items()):
        family.add_metric([key] if label else [], value)
    return family


class _OwnValues:
    def collect(self):
        yield from REGISTRY.collect()


class _StateGauges:
    def collect(self):
        for provider in _gauge_providers:
            yield from provider()


def scrape_registry() -> CollectorRegistry:
    """What one scrape reports: the counters and histograms of every process sharing the directory (or of
    this process alone), and the state gauges read now."""
    registry = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS_DIR:
        MultiProcessCollector(registry, path=MULTIPROCESS_DIR)
    else:
        registry.register(_OwnValues())
    registry.register(_StateGauges())
    return registry
