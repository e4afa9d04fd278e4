"""A web process warms up before it serves (config/lifespan.py): its database pool is open and its URL conf
imported before the first request arrives, and a database that is away at startup does not stop it."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import psutil
import pytest
from django.conf import settings
from django.db import connection

from devtools.stripe_local import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def serve(database_url: str) -> tuple[int, subprocess.Popen]:
    """uvicorn on a free loopback port; returns once the port accepts connections, before any request."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings.test",
               REDIS_URL=settings.REDIS_URL)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()  # connects, sends nothing
            return port, proc
        except OSError:
            assert proc.poll() is None, "the server exited at startup"
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("the server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


def test_the_pool_is_open_before_the_first_request():
    s = connection.settings_dict
    port, proc = serve(f"postgres://{s['USER']}@{quote(s['HOST'] or '127.0.0.1', safe='')}:{s['PORT']}/{s['NAME']}")
    try:
        # uvicorn accepts connections only once the lifespan start is complete: the pool opened then
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            to_postgres = [c for c in psutil.Process(proc.pid).net_connections(kind="tcp")
                           if c.raddr and c.raddr.port == int(s["PORT"])]
            if to_postgres:
                break
            time.sleep(0.1)
        assert to_postgres, "no database connection opened before the first request"
    finally:
        stop(proc)


def test_a_database_away_at_startup_does_not_stop_the_server():
    port, proc = serve(f"postgres://nobody@127.0.0.1:{free_port()}/nothing")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        assert response.status == 503  # the process serves, and says what it lacks
        assert json.loads(response.read())["checks"]["database"].startswith("error")
        assert proc.poll() is None
    finally:
        stop(proc)
