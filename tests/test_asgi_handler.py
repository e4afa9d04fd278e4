"""Django's work on the ASGI server: each request on one of the process's Django threads, from its start to
its database connection given back, and the same answers Django's own ASGI handler gives."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from asgiref.sync import async_to_sync
from django.core import signals
from django.core.handlers.asgi import ASGIHandler
from django.db import connections
from django.urls import reverse
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import django_application
from config.handler import ThreadedHandler
from tests.accounts.factories import buyer_create
from tests.asgi import asgi_request
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db(transaction=True)

CART = reverse("orders:cart")
CART_LINES = reverse("orders:cart-line-list")
LIST = reverse("shop:product-list")
MISSING = reverse("shop:product-detail", args=["no-such-shoe"])


def bearer(user) -> dict[str, str]:
    return {"authorization": f"Bearer {AccessToken.for_user(user)}"}


def borrowed() -> int:
    stats = connections["default"].pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


class Threads:
    """Which thread started and which finished each request (Django's request signals)."""

    def __init__(self):
        self.started: list[str] = []
        self.finished: list[str] = []

    def __enter__(self):
        signals.request_started.connect(self.start, dispatch_uid="threads-seen")
        signals.request_finished.connect(self.finish, dispatch_uid="threads-seen")
        return self

    def __exit__(self, *exc):
        signals.request_started.disconnect(dispatch_uid="threads-seen")
        signals.request_finished.disconnect(dispatch_uid="threads-seen")

    def start(self, **kwargs):
        self.started.append(threading.current_thread().name)

    def finish(self, **kwargs):
        self.finished.append(threading.current_thread().name)


def test_each_request_runs_on_a_django_thread_and_gives_its_connection_back():
    buyer = buyer_create()
    before = borrowed()
    with Threads() as seen:
        answers = [asgi_request(django_application, "GET", CART, headers=bearer(buyer)) for _ in range(6)]
    assert [a.status for a in answers] == [200] * 6
    assert len(seen.started) == len(seen.finished) == 6
    assert all(name.startswith("django") for name in seen.started)
    assert seen.started == seen.finished  # finished (connection returned) where it started
    assert borrowed() == before  # nothing kept borrowed by the threads


def test_many_at_once_share_the_few_threads_and_keep_no_connection():
    buyer = buyer_create()
    handler = ThreadedHandler(threads=2)
    before = borrowed()

    async def many():
        return await asyncio.gather(*(
            asyncio.to_thread(asgi_request, handler, "GET", CART, headers=bearer(buyer)) for _ in range(10)))

    with Threads() as seen:
        answers = async_to_sync(many)()
    assert [a.status for a in answers] == [200] * 10
    assert len(set(seen.started)) <= 2  # ten requests, two threads
    assert borrowed() == before


@pytest.mark.parametrize("method,path,body", [
    ("GET", LIST, b""),
    ("GET", MISSING, b""),  # 404 in the one error shape
    ("POST", CART_LINES, b'{"sku": "NOPE", "quantity": "x"}'),  # 400
    ("GET", "/api/v1/nowhere/", b""),
])
def test_answers_are_those_of_djangos_own_handler(method, path, body):
    priced_variant(amount="120.00", stock=5, product__name="Chelsea Boot")
    buyer = buyer_create()
    headers = {**bearer(buyer), "content-type": "application/json"}
    ours = asgi_request(django_application, method, path, body=body, headers=headers)
    django = asgi_request(ASGIHandler(), method, path, body=body, headers=headers)
    assert ours.status == django.status
    assert ours.body == django.body or json.loads(ours.body) == json.loads(django.body)
    different = {k for k in ours.headers.keys() | django.headers.keys()
                 if ours.headers.get(k) != django.headers.get(k)}
    assert different <= {"x-request-id"}
