"""Metrics as deployed: gunicorn's ASGI workers and a Celery worker's pool processes share one
PROMETHEUS_MULTIPROC_DIR, and one scrape of the web server adds up all of them. Invented HTTP methods add
no series there either."""

from __future__ import annotations

import http.client
import re
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from tests.faults.processes import Process, app_env, start_web

pytestmark = pytest.mark.django_db(transaction=True)

ROUTE = "/api/v1/catalog/categories/"


def request(url: str, method: str, path: str) -> int:
    target = urlsplit(url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)  # a new connection each time
    try:
        conn.request(method, path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def scrape(url: str) -> dict[str, float]:
    target = urlsplit(url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    conn.request("GET", "/metrics")
    response = conn.getresponse()
    assert response.status == 200
    text = response.read().decode()
    conn.close()
    return {line.rpartition(" ")[0]: float(line.rpartition(" ")[2]) for line in text.splitlines()
            if line and not line.startswith("#")}


def key(name: str, **labels: str) -> str:
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def wait_until(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


ODD_METHODS = ["PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT", "PURGE"]


def test_web_workers_and_task_processes_add_up_in_one_scrape_and_invented_methods_add_no_series(tmp_path):
    metrics_dir = tmp_path / "metrics"
    queue = f"metrics-{uuid.uuid4().hex[:8]}"  # a queue of its own: no task another test left behind
    broker = settings.CELERY_BROKER_URL
    env = app_env(settings_dict=connection.settings_dict, application_name="metrics-multiprocess", broker_url=broker,
                  PROMETHEUS_MULTIPROC_DIR=str(metrics_dir), LIVEDOCK_METRICS_TOKEN="")
    web, url = start_web(env, tmp_path, workers=2, lifetime=120)
    worker = Process("worker", [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork", "-c", "2", "-Q", queue, "-l", "INFO",
        "-n", f"{queue}@127.0.0.1", "--without-mingle", "--without-gossip", "--without-heartbeat",
    ], env, tmp_path, ready=lambda p: " ready." in p.log(), lifetime=120)
    sender = Celery("metrics-test", broker=broker, set_as_current=False)
    try:
        web.wait_ready()
        worker.wait_ready()
        for _ in range(30):
            assert request(url, "GET", ROUTE) == 200
        assert request(url, "PROPFIND", ROUTE) == 405
        for _ in range(4):
            sender.send_task("orders.expire_unpaid", queue=queue)
        task_count = key("livedock_task_duration_seconds_count", state="SUCCESS", task="orders.expire_unpaid")
        before = wait_until(lambda: (lambda s: s if s.get(task_count) == 4 else None)(scrape(url)))

        for i in range(200):  # methods the HTTP parser knows and we do not serve, each its own label value
            assert request(url, ODD_METHODS[i % len(ODD_METHODS)], ROUTE) == 405
        # A method no HTTP standard names never reaches the application: the server's parser refuses it.
        assert request(url, "PROBEMETHOD1", ROUTE) == 400
        after = scrape(url)
    finally:
        sender.close()
        worker.stop()
        web.stop()

    # Every request, whichever web worker served it, and every task, whichever pool process ran it.
    assert before[key("livedock_http_requests_total", method="GET", route=ROUTE, status="200")] == 30
    assert after[key("livedock_http_requests_total", method="other", route=ROUTE, status="405")] == 201
    assert set(after) == set(before)  # 200 invented methods: not one series more
    assert not any(method in name for name in after for method in ("PROBEMETHOD", *ODD_METHODS))
    # One file per process that counted: gunicorn's workers and Celery's pool processes, named by host and pid.
    files = sorted(path.name for path in metrics_dir.iterdir())
    assert all(re.fullmatch(r"(counter|histogram)_[\w.-]+-\d+\.db", name) for name in files), files
    assert len({name.split("_", 1)[1] for name in files}) >= 2
