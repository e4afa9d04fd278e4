"""Fixtures every test may use.

Tests that touch the database get the real backing services: an empty test Redis and cache, the local
Stripe-compatible server (Stripe's own SDK over HTTP) and, in the apps that check out, the customs rules
the project ships. Pure tests (money, landed-cost arithmetic, sizing, CEB building) run with none of them.
"""

import datetime as dt
import importlib.util
import os
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from config.celery import app as project_celery_app
from devtools import stripe_local
from landed_cost.services import customs_rules_load
from shop.catalog_cache import catalog_cache
from tests.shop.factories import FxRateFactory

pytest_plugins = ("celery.contrib.pytest",)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                               "live_server"})
# Test folders whose tests place orders: checkout quotes duties and taxes against the shipped rules.
CHECKOUT_FOLDERS = frozenset({"orders", "payments", "customs", "fit", "landed_cost", "livestream", "live_sales",
                              "faults"})


def project_task_modules() -> tuple[str, ...]:
    """Every installed app's tasks module, as the project's worker autodiscovers them."""
    names = (f"{app_config.name}.tasks" for app_config in django_apps.get_app_configs())
    return tuple(name for name in names if importlib.util.find_spec(name) is not None)


# Imported before any test's Celery app exists. A shared task registers with the apps made after its module is
# imported, and each test app forgets on teardown the registrations made while it lived: a tasks module first
# imported during one test (by a fixture, a URLconf, a service) would be unknown to every later test's worker.
TASK_MODULES = tuple(importlib.import_module(name).__name__ for name in project_task_modules())


def uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(request.fixturenames))


@pytest.fixture(scope="session")
def celery_config():
    """The in-thread test worker uses the real Redis broker and result backend."""
    return {"broker_url": REDIS_URL, "result_backend": REDIS_URL, "accept_content": ["json"],
            "task_default_queue": "livedock-tests"}


@pytest.fixture(scope="session")
def celery_includes():
    """The in-thread test worker knows every app's tasks, whichever a test happened to import."""
    return TASK_MODULES


@pytest.fixture
def celery_app(celery_app):
    """Each test's Celery app starts on an empty test queue: nothing an earlier test queued and its worker,
    stopped with the test, left unconsumed."""
    celery_app.control.purge()
    return celery_app


@pytest.fixture
def celery_worker(celery_worker):
    """The in-thread test worker, refused unless it knows every task the project's own worker would run."""
    unknown = set(project_celery_app.tasks) - set(celery_worker.app.tasks)
    assert not unknown, f"the test worker does not know {sorted(unknown)}"
    return celery_worker


@pytest.fixture(scope="session")
def celery_worker_parameters():
    return {"perform_ping_check": False, "shutdown_timeout": 10, "queues": ["livedock-tests"]}


@pytest.fixture(scope="session")
def _clean_test_redis():
    """The machine's Redis keeps keys between runs: the first test that needs it starts on an empty DB index."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.close()


@pytest.fixture(scope="session")
def stripe_server():
    """A local Stripe-compatible server for the whole run (Stripe's real SDK talks to it over HTTP)."""
    proc, url = stripe_local.start()
    yield url
    stripe_local.stop(proc)


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test that uses the database starts with empty caches (list counts, rate limits, the process's
    rendered catalog answers)."""
    if uses_database(request):
        request.getfixturevalue("_clean_test_redis")
        cache.clear()
        catalog_cache.clear()


@pytest.fixture(autouse=True)
def _stripe_settings(request, settings):
    """Point the payment gateway at the local server, with an empty store for each test that uses the
    database (the only ones that can record a payment)."""
    if not uses_database(request):
        return None
    stripe_server = request.getfixturevalue("stripe_server")
    stripe_local.flush(stripe_server)
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


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def customs_rules(db):
    """The dated customs, tax and shipping rules the project ships (data/customs)."""
    customs_rules_load(path=Path(settings.BASE_DIR) / "data" / "customs" / "rules-2026-11.json")


@pytest.fixture(autouse=True)
def _customs_rules_for_checkouts(request):
    if request.path.parent.name in CHECKOUT_FOLDERS and uses_database(request):
        request.getfixturevalue("customs_rules")


@pytest.fixture
def rates():
    """Exchange rates in force from 2026-11-20, for prices in EUR, JPY and CNY."""
    day = dt.date(2026, 11, 20)
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.8600000000"), as_of=day)
    FxRateFactory(base="USD", quote="JPY", rate=Decimal("150"), as_of=day)
    FxRateFactory(base="USD", quote="CNY", rate=Decimal("7.10"), as_of=day)
