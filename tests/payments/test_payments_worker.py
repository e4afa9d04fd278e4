"""The payments worker as deployed: `celery -A config worker -Q payments -P threads -c 32`, a real process
against the test database and broker, with the local Stripe server as slow as Stripe. Its threads wait on
Stripe side by side, and none holds a database connection while it waits. Stopped by its PID."""

import time

import pytest
from django.db import connection

from config.celery import app as project_celery_app
from devtools import stripe_local
from orders.models import Order
from payments.models import Payment
from payments.services import intents as payment_intents
from tests.faults.flash_sale import stripe_get
from tests.faults.processes import app_env, start_worker
from tests.orders.factories import order_placed
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS = 20
LATENCY_SECONDS = 1.0
POOL_SIZE = 2  # database connections the worker may open: far fewer than its threads


@pytest.fixture
def payments_worker(tmp_path, settings, _stripe_settings):
    project_celery_app.control.purge()  # nothing earlier tests queued and no worker consumed
    env = app_env(settings_dict=connection.settings_dict, application_name="payments-worker",
                  broker_url=settings.CELERY_BROKER_URL, STRIPE_API_BASE=_stripe_settings,
                  STRIPE_SECRET_KEY=settings.STRIPE_SECRET_KEY, STRIPE_MAX_NETWORK_RETRIES="0",
                  STRIPE_SEND_TRANSFER_GROUP="false", DATABASE_POOL_MAX_SIZE=str(POOL_SIZE))
    worker = start_worker("payments-worker", env, tmp_path, pool="threads", concurrency=32, queues="payments")
    yield worker.wait_ready()
    worker.stop()
    print(worker.log()[-4000:])  # shown when the test failed


def test_the_thread_pool_creates_intents_side_by_side_holding_no_connection_while_waiting(
        rates, payments_worker, _stripe_settings):
    # Given twenty orders, and Stripe taking a second per call
    variant = priced_variant(stock=ORDERS)
    orders = [order_placed([(variant, 1)], key=f"threads-order-{i:02d}") for i in range(ORDERS)]
    stripe_local.latency_set(_stripe_settings, int(LATENCY_SECONDS * 1000))
    try:
        # When each order's payment is asked for at once (queued on the payments queue)
        started = time.monotonic()
        for order in orders:
            payment_intents.payment_request(order_id=order.pk)

        # Then every intent exists in a few seconds: one call after another would take twenty, and threads
        # that kept their connection while waiting would take ten (two at a time)
        deadline = started + ORDERS * LATENCY_SECONDS
        while Payment.objects.filter(intent_id__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed = time.monotonic() - started
    finally:
        stripe_local.latency_set(_stripe_settings, 0)
    assert not Payment.objects.filter(intent_id__isnull=True).exists(), payments_worker.log()[-3000:]
    assert elapsed < ORDERS * LATENCY_SECONDS / POOL_SIZE / 2, elapsed

    # And each order has one intent on Stripe, the one recorded
    intents = stripe_get(_stripe_settings, "/v1/payment_intents?limit=100")["data"]
    assert sorted(i["metadata"]["order_number"] for i in intents) == sorted(o.number for o in orders)
    recorded = dict(Payment.objects.values_list("order__number", "intent_id"))
    assert recorded == {i["metadata"]["order_number"]: i["id"] for i in intents}
    assert set(Payment.objects.values_list("status", flat=True)) == {"requires_action"}
    assert Order.objects.filter(payment_hold_until__isnull=True).count() == 0
