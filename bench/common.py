"""Shared pieces of the benchmarks: a scratch database, a gunicorn on loopback, a bounded load loop,
percentiles, and writing a result section into docs/benchmarks.md.

Every load loop is bounded by a duration and a request count and talks only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def bench_database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return base.rsplit("/", 1)[0] + f"/{name}"


def recreate_database(url: str) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_setup(database_url: str) -> None:
    """Django in the bench's own process (seeding, checking), with the secrets the server gets, so the
    tokens it signs are the server's."""
    os.environ["DATABASE_URL"] = database_url
    for name in ("DJANGO_SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        os.environ[name] = SHIPPED_ENV[name]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What the compose stack and the Dockerfile run: gunicorn with uvicorn's ASGI workers, production settings.
SHIPPED_WORKER_CLASS = "uvicorn_worker.UvicornWorker"
# Production settings with what docker-compose.yml gives them, on loopback: the secrets are placeholders, and
# no TLS proxy is in front, so the HTTPS redirect is off (everything else, HSTS aside, is as shipped: JSON
# logs with an access line per request, multiprocess metrics, pooled connections).
SHIPPED_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SECURE_SSL_REDIRECT": "false",
    "STRIPE_SECRET_KEY": "sk_test_livedock_local", "STRIPE_PUBLISHABLE_KEY": "pk_test_livedock_local",
    "STRIPE_WEBHOOK_SECRET": "whsec_livedock_local", "LIVEDOCK_METRICS_TOKEN": "bench-metrics-token",
    "LIVEDOCK_ACCESS_LOG": "true",
}


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1, stopped by PID when the block ends: by default the
    configuration we ship (ASGI workers, production settings, pooled database connections). Its log goes to
    a scratch file (`log_path`), as the container's goes to its log driver."""

    def __init__(self, database_url: str, workers: int, env: dict[str, str] | None = None,
                 worker_class: str = SHIPPED_WORKER_CLASS, threads: int = 1):
        self.port = free_port()
        self.database_url = database_url
        self.workers = workers
        self.env = env or {}
        self.worker_class = worker_class
        self.threads = threads
        self.proc: subprocess.Popen | None = None
        self.scratch = tempfile.TemporaryDirectory(prefix="livedock-bench-")
        self.log_path = Path(self.scratch.name) / "web.log"

    def __enter__(self) -> Gunicorn:
        metrics = Path(self.scratch.name) / "metrics"
        metrics.mkdir()
        env = dict(os.environ, DATABASE_URL=self.database_url, PROMETHEUS_MULTIPROC_DIR=str(metrics),
                   **SHIPPED_ENV)
        env.update(self.env)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn",
                 "config.asgi:application" if self.worker_class == SHIPPED_WORKER_CLASS else "config.wsgi:application",
                 "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.workers), "--worker-class", self.worker_class, "--threads", str(self.threads),
                 "--backlog", "4096", "--no-control-socket"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = request("127.0.0.1", self.port, "GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start:\n" + self.log_path.read_text(errors="replace")[-3000:])

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        errors = [line for line in self.log_path.read_text(errors="replace").splitlines()
                  if '"level": "ERROR"' in line or " ERROR " in line]
        if errors:
            print(f"{len(errors)} error lines in the server's log, the first: {errors[0][:500]}", file=sys.stderr)
        self.scratch.cleanup()

    def peak_memory_mb(self) -> float:
        """The peak resident memory of the server's processes (master and workers) so far, in MiB."""
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            total += int(match[1]) if match else 0
        return round(total / 1024, 1)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and every descendant still running."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for one in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def machine_cpu_seconds() -> float:
    """CPU time the whole machine spent busy so far (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def request(host: str, port: int, method: str, path: str, body: dict | None = None,
            headers: dict[str, str] | None = None, conn: http.client.HTTPConnection | None = None,
            timeout: float = 30) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=timeout)
    payload = json.dumps(body).encode() if body is not None else None
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    try:
        conn.request(method, path, body=payload, headers=hdrs)
        response = conn.getresponse()
        data = response.read()
        return response.status, data
    finally:
        if own:
            conn.close()


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed_s: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def rps(self) -> float:
        return self.count / self.elapsed_s if self.elapsed_s else 0.0

    def summary(self) -> str:
        return (f"{self.count} requests in {self.elapsed_s:.1f} s = {self.rps:.0f} req/s; "
                f"p50 {self.pct(50):.1f} ms, p99 {self.pct(99):.1f} ms, max {max(self.latencies_ms or [0]):.1f} ms; "
                f"statuses {dict(sorted(self.statuses.items()))}; transport errors {self.errors}")


def run_load(port: int, concurrency: int, seconds: float, max_requests: int,
             next_request: Callable[[int, int], tuple[str, str, dict | None]]) -> LoadResult:
    """`concurrency` threads with keep-alive connections send requests until `seconds` pass or
    `max_requests` have been sent. next_request(thread, n) -> (method, path, body)."""
    result = LoadResult()
    lock = threading.Lock()
    sent = [0]
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < stop_at:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            method, path, body = next_request(index, n)
            n += 1
            started = time.perf_counter()
            try:
                status, _ = request("127.0.0.1", port, method, path, body, conn=conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    result.errors += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.elapsed_s = time.monotonic() - started
    return result


def machine_line() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def write_section(key: str, markdown: str) -> None:
    """Replace (or append) the section between <!-- key --> markers in docs/benchmarks.md."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)

