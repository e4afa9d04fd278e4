"""Fixtures of the fault tests: the project's own processes (Celery workers, the web server) started
against the test database, a Stripe-compatible front and a customs gateway on loopback. Every process
is stopped by PID when the test ends, before the test database is flushed."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.faults.customs_gateway import CustomsGateway
from tests.faults.processes import PrivateRedis, Process, app_env, start_web, start_worker
from tests.faults.stripe_front import StripeFront


@pytest.fixture
def stripe_front(_stripe_settings):
    front = StripeFront(_stripe_settings)
    yield front
    front.close()


@pytest.fixture
def customs_gateway():
    gateway = CustomsGateway()
    yield gateway
    gateway.close()


class Launcher:
    """Starts workers, web servers and private Redis servers for one test and stops them all after it."""

    def __init__(self, log_dir, settings, front: StripeFront, servers):
        self.log_dir, self.settings, self.front, self.servers = log_dir, settings, front, servers
        self.db = dict(connection.settings_dict)  # the test database
        self.started: list[Process | PrivateRedis] = []

    def env(self, application_name: str, broker_url: str, **extra: str) -> dict[str, str]:
        settings = self.settings
        return app_env(
            settings_dict=self.db, application_name=application_name, broker_url=broker_url,
            STRIPE_API_BASE=self.front.url, STRIPE_SECRET_KEY=settings.STRIPE_SECRET_KEY,
            STRIPE_WEBHOOK_SECRET=settings.STRIPE_WEBHOOK_SECRET, STRIPE_MAX_NETWORK_RETRIES="0",
            STRIPE_SEND_TRANSFER_GROUP="false", CUSTOMS_OUTBOX_DIR=str(settings.CUSTOMS_OUTBOX_DIR),
            CUSTOMS_INBOX_DIR=str(settings.CUSTOMS_INBOX_DIR), **extra)

    def worker(self, name: str, *, broker_url: str, pool: str = "solo", concurrency: int = 1, wait: bool = True,
               **extra: str) -> Process:
        worker = start_worker(name, self.env("faults-worker", broker_url, **extra), self.log_dir, pool=pool,
                              concurrency=concurrency)
        self.started.append(worker)
        return worker.wait_ready() if wait else worker

    def web(self, *, broker_url: str, server: str = "asgi", wait: bool = True, **extra: str) -> tuple[Process, str]:
        """The web server and its URL."""
        web, url = start_web(self.env("faults-web", broker_url, **extra), self.log_dir, server=server)
        self.started.append(web)
        return (web.wait_ready() if wait else web), url

    def redis(self, *, persistent: bool = True) -> PrivateRedis:
        redis = PrivateRedis(self.log_dir, persistent=persistent)
        self.started.append(redis)
        return redis

    def stop_all(self) -> None:
        for server in self.servers:
            server.release_all()  # nothing may wait on a held answer while it is asked to stop
        for process in reversed(self.started):  # all at once: a worker takes seconds to shut down
            process.terminate()
        for process in reversed(self.started):
            process.stop()
        for process in self.started:  # shown when the test failed
            for part in getattr(process, "processes", [process]):
                print(f"--- {part.name} ---\n{part.log()[-4000:]}")


@pytest.fixture
def launch(transactional_db, tmp_path, settings, stripe_front, customs_gateway):
    launcher = Launcher(tmp_path, settings, stripe_front, [stripe_front, customs_gateway])
    yield launcher
    launcher.stop_all()
