"""A local Stripe-compatible server (localstripe) for the test suite and the offline demo, bound to
127.0.0.1 with its on-disk persistence switched off. Started as a child process and stopped by PID."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

SERVER_CODE = (
    "import sys\n"
    "from aiohttp import web\n"
    "from localstripe import resources\n"
    "resources.Store.dump_to_disk = lambda self: None\n"
    "from localstripe.server import app\n"
    "web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), print=None)\n"
)


def free_port(preferred: int = 0) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int | None = None, log=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER_CODE, str(port)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"{url}/v1/customers?limit=1",
                                             headers={"Authorization": "Bearer sk_test_probe"})
            urllib.request.urlopen(request, timeout=1).close()
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
