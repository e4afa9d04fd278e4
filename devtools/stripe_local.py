"""A local Stripe-compatible server (localstripe) for the test suite, the benchmarks and the offline demo,
bound to 127.0.0.1 with its on-disk persistence switched off. Started as a child process and stopped by PID.

It answers in a few milliseconds; Stripe takes hundreds. To measure what that costs, it can wait before
answering each API call (`/v1/...`): `start(latency_ms=300)`, or STRIPE_LOCAL_LATENCY_MS in the environment of
the process that starts it, or `latency_set(url, 300)` while it runs. Calls wait concurrently, as Stripe's do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

SERVER_CODE = (
    "import asyncio, sys\n"
    "from aiohttp import web\n"
    "from localstripe import resources\n"
    "resources.Store.dump_to_disk = lambda self: None\n"
    "from localstripe.server import app\n"
    "latency = {'seconds': int(sys.argv[2]) / 1000}\n"
    "@web.middleware\n"
    "async def stripe_latency(request, handler):\n"
    "    if request.path.startswith('/v1/') and latency['seconds'] > 0:\n"
    "        await asyncio.sleep(latency['seconds'])\n"
    "    return await handler(request)\n"
    "async def latency_config(request):\n"
    "    latency['seconds'] = int((await request.post())['ms']) / 1000\n"
    "    return web.json_response({'latency_ms': round(latency['seconds'] * 1000)})\n"
    "app.middlewares.insert(0, stripe_latency)\n"
    "app.router.add_post('/_config/latency', latency_config)\n"
    "web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), print=None)\n"
)
LATENCY_ENV = "STRIPE_LOCAL_LATENCY_MS"


def free_port(preferred: int = 0) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int | None = None, log=subprocess.DEVNULL,
          latency_ms: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start the server; `latency_ms` (default: STRIPE_LOCAL_LATENCY_MS, else 0) delays each API call."""
    port = port or free_port()
    if latency_ms is None:
        latency_ms = int(os.environ.get(LATENCY_ENV) or 0)
    proc = subprocess.Popen([sys.executable, "-c", SERVER_CODE, str(port), str(latency_ms)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"{url}/v1/customers?limit=1",
                                             headers={"Authorization": "Bearer sk_test_probe"})
            urllib.request.urlopen(request, timeout=1 + latency_ms / 1000).close()
            return proc, url
        except OSError:
            time.sleep(0.05)
    stop(proc)
    raise RuntimeError("the local Stripe server did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def flush(url: str) -> None:
    request = urllib.request.Request(f"{url}/_config/data", method="DELETE")
    urllib.request.urlopen(request, timeout=5).close()


def register_webhook(url: str, name: str, target: str, secret: str) -> None:
    data = f"url={target}&secret={secret}".encode()
    request = urllib.request.Request(f"{url}/_config/webhooks/{name}", data=data)
    urllib.request.urlopen(request, timeout=5).close()


def latency_set(url: str, ms: int) -> None:
    """Delay each API call of a running server by `ms` milliseconds from now on (0: answer at once)."""
    request = urllib.request.Request(f"{url}/_config/latency", data=f"ms={int(ms)}".encode())
    urllib.request.urlopen(request, timeout=5).close()
