"""SSE fan-out: N buyers hold a live session's event stream open on one ASGI worker; state changes are
published on the session's Redis channel; prints clients held and delivery latency (publish to
receipt) and records them in docs/benchmarks.md. Loopback only, bounded in clients, events and time.

    .venv/bin/python bench/sse_fanout.py [--clients 1000] [--events 10]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    bench_database_url,
    django_setup,
    free_port,
    machine_line,
    recreate_database,
    write_section,
)


def seed() -> int:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from livestream import services
    from livestream.models import Festival, Host, HostAvailability, LiveBase, Studio

    call_command("migrate", "--noinput", "-v", "0")
    now = timezone.now()
    base = LiveBase.objects.create(name="Bench", city="Wenzhou")
    festival = Festival.objects.create(base=base, name="Bench", slug="bench", starts_at=now - dt.timedelta(hours=1),
                                       ends_at=now + dt.timedelta(days=1))
    studio = Studio.objects.create(base=base, name="A")
    host = Host.objects.create(user=get_user_model().objects.create(username="sse-host"), handle="sse",
                               display_name="SSE")
    HostAvailability.objects.create(host=host, starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(hours=5))
    session = services.live_session_schedule(festival=festival, studio=studio, host=host, title="Bench",
                                             starts_at=now - dt.timedelta(minutes=5),
                                             ends_at=now + dt.timedelta(hours=2))
    return session.pk


async def one_client(port: int, path: str, latencies: list[float], connected: list[int], stop_at: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    first = True
    try:
        while time.monotonic() < stop_at:
            line = await asyncio.wait_for(reader.readline(), timeout=max(0.1, stop_at - time.monotonic()))
            if not line:
                break
            if line.startswith(b"data: "):
                received = time.time()
                data = json.loads(line[6:])
                if first:
                    connected.append(1)
                    first = False
                elif "sent_at" in data:
                    latencies.append((received - data["sent_at"]) * 1000)
    except (TimeoutError, ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def run(port: int, session_id: int, clients: int, events: int, seconds: float, redis_url: str):
    import redis

    latencies: list[float] = []
    connected: list[int] = []
    stop_at = time.monotonic() + seconds
    path = f"/api/v1/live/sessions/{session_id}/events/"
    tasks = [asyncio.create_task(one_client(port, path, latencies, connected, stop_at)) for _ in range(clients)]
    deadline = time.monotonic() + seconds / 2
    while len(connected) < clients and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    publisher = redis.Redis.from_url(redis_url)
    for _ in range(events):
        publisher.publish(f"livedock:live:session:{session_id}", json.dumps({"sent_at": time.time()}))
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return len(connected), sorted(latencies)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_sse")
    recreate_database(url)
    django_setup(url)
    session_id = seed()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="config.settings.base",
               LIVEDOCK_SSE_MAX_SECONDS=str(int(args.seconds)), DATABASE_CONN_MAX_AGE="0",
               # Every client comes from 127.0.0.1: the caps are raised to the number of clients measured.
               LIVEDOCK_SSE_MAX_STREAMS=str(args.clients), LIVEDOCK_SSE_MAX_STREAMS_PER_CLIENT=str(args.clients))
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--log-level", "warning", "--backlog", "4096"], cwd=ROOT, env=env)
    try:
        time.sleep(3)
        held, latencies = asyncio.run(run(port, session_id, args.clients, args.events, args.seconds, redis_url))
    finally:
        server.terminate()
        server.wait(timeout=20)

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    expected = held * args.events
    print(f"clients held {held}/{args.clients}; events delivered {len(latencies)}/{expected}; "
          f"latency p50 {pct(50):.1f} ms, p99 {pct(99):.1f} ms, max {max(latencies or [0]):.1f} ms")
    if not args.no_write:
        write_section("sse-fanout", f"""
## SSE fan-out (`bench/sse_fanout.py`)

{args.clients} clients open the event stream of one live session on a single uvicorn worker; {args.events}
state changes are published on the session's Redis channel, 0.5 s apart. Measured
{dt.datetime.now(dt.UTC).date().isoformat()} on {machine_line()}.

| clients held | events delivered | p50 delivery ms | p99 delivery ms |
|---|---|---|---|
| {held} of {args.clients} | {len(latencies)} of {expected} | {pct(50):.1f} | {pct(99):.1f} |

The worker holds one Redis subscription whatever the number of streams and hands each event to its
streams in memory; a stream costs a socket and a coroutine. More streams need more ASGI workers or
machines (each capped by LIVEDOCK_SSE_MAX_STREAMS), and Redis pub/sub fans each event out to all of them.
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
