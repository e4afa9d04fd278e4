"""PostgreSQL drops the app's connections during a flash sale (pg_terminate_backend, as a failover, a
restart or an idle-connection reaper would), with the web server run both ways the project documents:
production's gunicorn with uvicorn workers (ASGI) and gunicorn's sync workers (WSGI), each process with its
pool of connections (checked before a request borrows one, because CONN_HEALTH_CHECKS is on). The Celery
worker's connections come from its own pool.

What it must do: a request using a dropped connection fails with a JSON error and nothing of it is
kept, and the buyer's retry (same Idempotency-Key) completes it once; a task waiting on Stripe holds no
connection (it gave it back to the pool), so it does not notice; a kept connection dropped while idle is
replaced before use, unnoticed; nothing is restarted.

No request waits on Stripe (a worker creates PaymentIntents), so the checkouts caught by the drop are
ones waiting inside PostgreSQL, for the sale's stock row, as checkouts of a flash sale do.
"""

from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest

from shop.models import StockLevel
from tests.faults.client import Replies, assert_clean
from tests.faults.flash_sale import assert_sale_books_balance, purchase, sale_open, sale_settled, wait_until
from tests.faults.postgres import connections_of, drop_connections, rows_locked, waiting_for_locks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

CAP = 14
BUSY, QUIET = 10, 10  # buyers while connections drop under load, then after they dropped while idle
WEB, WORKER = "faults-web", "faults-worker"  # application names of their connections
WEB_WORKERS = 2  # gunicorn's workers (the launcher's default)


@pytest.mark.parametrize("server", ["asgi", "wsgi"])
def test_dropped_database_connections_fail_only_the_work_using_them_and_nothing_is_lost(
        launch, stripe_front, settings, server):
    # Given a flash deal of 14 units, 20 buyers with it in their cart, and the app running
    sale = sale_open(cap=CAP, buyers=BUSY + QUIET)
    redis = launch.redis()
    worker = launch.worker("worker", broker_url=redis.url, wait=False)
    web, web_url = launch.web(broker_url=redis.url, server=server, wait=False)
    worker.wait_ready(), web.wait_ready()
    replies = Replies()
    buy = partial(purchase, web_url=web_url, stripe_url=settings.STRIPE_API_BASE,
                  secret=settings.STRIPE_WEBHOOK_SECRET, replies=replies)
    recording_a_payment = stripe_front.hold("GET", r"^/v1/payment_intents/pi_")  # the worker, on a webhook

    with ThreadPoolExecutor(6) as pool:
        sold = [pool.submit(buy, buyer=sale.buyers[0], phase="busy")]
        recording_a_payment.wait()
        # When checkouts wait for the sale's stock row while the worker waits on Stripe recording a payment
        with rows_locked(StockLevel.objects.filter(variant_id=sale.variant_id)):
            sold += [pool.submit(buy, buyer=buyer, phase="busy") for buyer in sale.buyers[1:BUSY]]
            wait_until(lambda: waiting_for_locks(WEB) >= 1, timeout=20, message="a checkout waiting in PostgreSQL")
            # ... and every app connection is dropped
            assert drop_connections(WEB, WORKER) >= 2
        recording_a_payment.release()
        purchases = [future.result(timeout=120) for future in sold]

    # Then the checkout failed with a JSON 503 and its retry completed it; the task waiting on Stripe held no
    # connection, so it records the payment without an error or a retry
    failed = [r for r in replies.labelled("busy:") if r.status >= 500]
    assert {(r.status, r.json()["error"]["code"]) for r in failed} == {(503, "service_unavailable")}
    assert any(r.label == "busy:checkout" for r in failed)
    wait_until(sale_settled, timeout=40, message="every event processed and every paid parcel declared")
    assert "retry: Retry in" not in worker.log() and "OperationalError" not in worker.log()

    # When the connections each web process keeps in its pool are dropped while nothing uses them
    kept = connections_of(WEB)
    assert 0 < kept <= WEB_WORKERS * settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    assert drop_connections(WEB) == kept
    # Then the rest of the sale runs without a single error: a dropped connection is replaced before use
    with ThreadPoolExecutor(6) as pool:
        purchases += list(pool.map(lambda buyer: buy(buyer=buyer, phase="quiet"), sale.buyers[BUSY:]))
    wait_until(sale_settled, timeout=40, message="the sale after the idle drop settled")
    quiet = replies.labelled("quiet:")
    assert quiet and all(r.status in (200, 201, 202, 409) for r in quiet), [(r.label, r.status) for r in quiet]
    assert "retry: Retry in" not in worker.log()
    for reply in replies.all:
        assert_clean(reply)
    assert_sale_books_balance(sale, purchases, stripe_url=settings.STRIPE_API_BASE,
                              outbox=settings.CUSTOMS_OUTBOX_DIR)
    assert web.alive() and worker.alive()
