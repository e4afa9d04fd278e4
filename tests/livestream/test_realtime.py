"""Server-Sent Events served by a real ASGI server, read by a real HTTP client."""

import http.client
import json
import os
import subprocess
import sys
import time
from urllib.parse import quote, urlsplit

import psutil
import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from devtools.stripe_local import free_port
from livestream import realtime, services
from tests.helpers import wait_for
from tests.livestream.factories import (
    approved_item,
    buyer_with_deal_cart,
    checkout,
    live_deal_create,
    make_world,
)

pytestmark = pytest.mark.django_db(transaction=True)


def start_asgi_server(**extra_env: str):
    """uvicorn serving the project on a free loopback port, against the test database; (port, process)."""
    s = connection.settings_dict
    db_url = f"postgres://{s['USER']}@{quote(s['HOST'] or '127.0.0.1', safe='')}:{s['PORT']}/{s['NAME']}"
    port = free_port()
    env = dict(os.environ, DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="config.settings.test",
               REDIS_URL=settings.REDIS_URL, LIVEDOCK_SSE_MAX_SECONDS="20", **extra_env)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)
    return port, proc


@pytest.fixture
def asgi_server():
    port, proc = start_asgi_server()
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def read_event(response, timeout=10.0):
    """The next `state` event's data from an open SSE response."""
    deadline = time.monotonic() + timeout
    event, data = None, None
    while time.monotonic() < deadline:
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and event == "state" and data is not None:
            return json.loads(data)
    raise AssertionError("no event in time")


def test_a_buyer_follows_the_session_live(asgi_server):
    host, session, variant = make_world()
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)

    conn = http.client.HTTPConnection("127.0.0.1", asgi_server, timeout=15)
    conn.request("GET", f"/api/v1/live/sessions/{session.pk}/events/")
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    first = read_event(response)
    assert first["status"] == "live" and first["pinned"] is None and first["deals"] == []

    services.product_pin(host=host, session_id=session.pk, lineup_item_id=item.pk)
    pinned = read_event(response)
    assert pinned["pinned"]["product"] == variant.product.slug

    from decimal import Decimal

    deal = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk,
                                deal_price=Decimal("59.00"), quantity_cap=3, per_buyer_limit=1, duration_minutes=5)
    launched = read_event(response)
    assert [(d["id"], d["remaining"]) for d in launched["deals"]] == [(deal.pk, 3)]
    services.deal_end(host=host, deal_id=deal.pk)
    assert read_event(response)["deals"] == []
    conn.close()


def test_unknown_session_stream_is_404_in_the_error_shape(asgi_server):
    conn = http.client.HTTPConnection("127.0.0.1", asgi_server, timeout=10)
    conn.request("GET", "/api/v1/live/sessions/999999/events/")
    response = conn.getresponse()
    assert response.status == 404
    assert json.loads(response.read())["error"]["code"] == "not_found"


def test_streams_do_not_hold_database_connections(asgi_server):
    """Open streams wait on Redis, not on PostgreSQL: the initial read closes its connection."""
    host, session, _variant = make_world()
    services.session_go_live(host=host, session_id=session.pk)
    name = connection.settings_dict["NAME"]

    def server_connections():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                           [name])
            return cursor.fetchone()[0]

    before = server_connections()
    streams = []
    for _ in range(5):
        conn = http.client.HTTPConnection("127.0.0.1", asgi_server, timeout=15)
        conn.request("GET", f"/api/v1/live/sessions/{session.pk}/events/")
        response = conn.getresponse()
        read_event(response)
        streams.append(conn)
    time.sleep(0.5)
    assert server_connections() <= before + 1
    for conn in streams:
        conn.close()


@pytest.fixture
def capped_asgi_server():
    port, proc = start_asgi_server(LIVEDOCK_SSE_MAX_STREAMS="150", LIVEDOCK_SSE_MAX_STREAMS_PER_CLIENT="100")
    yield port, proc
    proc.terminate()
    proc.wait(timeout=20)


def open_stream(port: int, session_id: int, source: str):
    """A stream from a loopback address of its own (the whole 127/8 range reaches the server)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    conn.request("GET", f"/api/v1/live/sessions/{session_id}/events/")
    return conn, conn.getresponse()


def subscription_clients() -> int:
    """Connections in Redis named as a web process's live-events subscription."""
    return sum(1 for c in redis.Redis.from_url(settings.REDIS_URL).client_list()
               if c.get("name") == realtime.SUBSCRIPTION_CLIENT_NAME)


def redis_connections_of(pid: int) -> int:
    redis_port = urlsplit(settings.REDIS_URL).port or 6379
    return sum(1 for c in psutil.Process(pid).net_connections(kind="tcp") if c.raddr and c.raddr.port == redis_port)


def test_streams_share_one_subscription_per_process_and_are_capped_per_process_and_client(capped_asgi_server):
    port, server = capped_asgi_server
    host, session, variant = make_world()
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)

    first = open_stream(port, session.pk, "127.0.0.2")
    assert read_event(first[1])["status"] == "live"
    baseline = redis_connections_of(server.pid)
    assert subscription_clients() == 1
    streams = [first] + [open_stream(port, session.pk, "127.0.0.2") for _ in range(99)]
    assert all(response.status == 200 and read_event(response)["status"] == "live" for _, response in streams[1:])

    # A hundred streams from one address is that address' share: the next is refused, and holds nothing.
    conn, refused = open_stream(port, session.pk, "127.0.0.2")
    assert (refused.status, refused.getheader("Retry-After")) == (503, "30")
    assert json.loads(refused.read()) == {"error": {
        "code": "too_many_streams", "fields": {},
        "message": "Too many open live-event streams from your address; poll the session's state, or retry later."}}
    conn.close()
    streams += [open_stream(port, session.pk, "127.0.0.3") for _ in range(50)]
    assert all(response.status == 200 and read_event(response)["status"] == "live" for _, response in streams[100:])
    # 150 open: the process is full for every address.
    conn, refused = open_stream(port, session.pk, "127.0.0.4")
    assert (refused.status, json.loads(refused.read())["error"]["code"]) == (503, "too_many_streams")
    conn.close()

    # 150 streams, one subscription: the server holds no more Redis connections than with one stream.
    assert subscription_clients() == 1
    assert redis_connections_of(server.pid) <= baseline + 1
    # Every stream gets every change through it.
    services.product_pin(host=host, session_id=session.pk, lineup_item_id=item.pk)
    assert {read_event(response)["pinned"]["product"] for _, response in streams} == {variant.product.slug}

    for conn, _response in streams:
        conn.close()
    # The last stream gone, so is the subscription; and every slot is free again.
    wait_for(lambda: subscription_clients() == 0, message="subscription closed")
    conn, again = open_stream(port, session.pk, "127.0.0.4")
    assert again.status == 200 and read_event(again)["pinned"]["product"] == variant.product.slug
    conn.close()


def test_deal_orders_publish_their_last_change_and_only_once_committed(customs_rules):
    """A burst of deal orders goes out coalesced (not one state read per order) and ends on the last change;
    nothing goes out while the order's transaction is open."""
    _host, session, variant, deal = live_deal_create(cap=5)
    pubsub = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(realtime.channel(session.pk))

    def states(seconds: float) -> list[dict]:
        received, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=0.05)
            if message is not None:
                received.append(json.loads(message["data"]))
        return received

    states(2 * realtime.PUBLISH_COALESCE_MS / 1000)  # the launch's own publish is out of the way
    buyer, address = buyer_with_deal_cart(variant, deal)
    with transaction.atomic():
        checkout(buyer, address, "deal-order-in-a-transaction")
        assert states(2 * realtime.PUBLISH_COALESCE_MS / 1000) == []
    assert [(d["id"], d["remaining"], d["sold"]) for d in states(1.0)[-1]["deals"]] == [(deal.pk, 4, 1)]

    for n in range(3):
        buyer, address = buyer_with_deal_cart(variant, deal)
        checkout(buyer, address, f"burst-deal-order-{n}")
    received = states(1.0)
    assert 1 <= len(received) <= 3
    assert [(d["id"], d["remaining"], d["held"], d["sold"]) for d in received[-1]["deals"]] == [(deal.pk, 1, 0, 4)]
    pubsub.close()
