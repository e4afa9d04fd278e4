import os

import pytest
from rest_framework.test import APIClient

pytest_plugins = ("celery.contrib.pytest",)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
def celery_config():
    """The in-thread test worker uses the real Redis broker and result backend."""
    return {"broker_url": REDIS_URL, "result_backend": REDIS_URL, "accept_content": ["json"],
            "task_default_queue": "livedock-tests"}


@pytest.fixture(scope="session")
def celery_worker_parameters():
    return {"perform_ping_check": False, "shutdown_timeout": 10, "queues": ["livedock-tests"]}


@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis():
    """The machine's Redis keeps keys between runs: start every run on an empty test DB index."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.close()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (list counts, rate limits)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def stripe_server():
    """A local Stripe-compatible server for the whole run (Stripe's real SDK talks to it over HTTP)."""
    from devtools import stripe_local as server

    proc, url = server.start()
    yield url
    server.stop(proc)


@pytest.fixture(autouse=True)
def _stripe_settings(settings, stripe_server):
    """Point the payment gateway at the local server, with an empty store for each test."""
    from devtools import stripe_local as server

    server.flush(stripe_server)
    settings.STRIPE_API_BASE = stripe_server
    settings.STRIPE_SECRET_KEY = "sk_test_livedock"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_livedock_tests"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_SEND_TRANSFER_GROUP = False  # the local server rejects Connect parameters
    return stripe_server


@pytest.fixture(autouse=True)
def _customs_dirs(settings, tmp_path):
    """Declarations that any test files go to its own temporary outbox, never the working tree."""
    settings.CUSTOMS_OUTBOX_DIR = tmp_path / "customs-outbox"
    settings.CUSTOMS_INBOX_DIR = tmp_path / "customs-inbox"
