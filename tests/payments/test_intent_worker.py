"""The PaymentIntent is created by a worker, never in a request: checkout and the buyer's retry answer at
once, the buyer polls for the client secret, and the task creates one intent however often it runs.

Stripe's own SDK talks over HTTP to the local Stripe-compatible server, made as slow as Stripe where timing
is the point. That server ignores idempotency keys, so counting its PaymentIntents shows every create call
that reached it; where two calls with one key are the point, the Stripe-compatible front of the fault tests
(which keeps Stripe's idempotency) stands in between.
"""

import datetime as dt
import logging
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as project_celery_app
from devtools import stripe_local
from orders.models import Order, OrderStatus
from orders.services import lifecycle
from payments import errors as payment_errors
from payments.models import Payment
from payments.services import intents as payment_intents
from payments.tasks import create_intent
from shop.models import StockLevel
from tests.accounts.factories import client_for
from tests.faults.flash_sale import stripe_get
from tests.faults.stripe_front import StripeFront
from tests.helpers import wait_for
from tests.orders.factories import buyer_with_cart, order_placed
from tests.payments.helpers import pay_with, payment_ready
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db(transaction=True)

STRIPE_LATENCY_MS = 4000  # far longer than a checkout takes, however busy the machine


@pytest.fixture
def slow_stripe(_stripe_settings):
    """The local Stripe server answers each API call after the given delay; at once again afterwards."""
    yield lambda ms: stripe_local.latency_set(_stripe_settings, ms)
    stripe_local.latency_set(_stripe_settings, 0)


@pytest.fixture
def stripe_front(_stripe_settings, settings):
    """Stripe's idempotency in front of the local server, which has none; the app talks to the front."""
    front = StripeFront(_stripe_settings)
    settings.STRIPE_API_BASE = front.url
    yield front
    front.close()


def intents_of(stripe_url, order) -> list[dict]:
    """The PaymentIntents that exist on the Stripe side for the order, whatever our database says."""
    found = stripe_get(stripe_url, "/v1/payment_intents?limit=100")["data"]
    return [intent for intent in found if intent["metadata"].get("order_number") == order.number]


def payment_url(number):
    return reverse("payments:order-payment", args=[number])


def test_checkout_answers_before_stripe_is_asked_and_the_buyer_polls_for_the_secret(
        rates, celery_worker, slow_stripe, _stripe_settings):
    # Given Stripe taking 4 s per call
    variant = priced_variant(amount="120.00", stock=5)
    buyer, address = buyer_with_cart([(variant, 2)])
    client = client_for(buyer)
    slow_stripe(STRIPE_LATENCY_MS)

    # When the buyer checks out
    started = time.monotonic()
    response = client.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                           HTTP_IDEMPOTENCY_KEY="no-wait-checkout-1")
    answered_in = time.monotonic() - started

    # Then the order and its payment come back before a single Stripe call could have been answered
    assert response.status_code == 201, response.json()
    assert answered_in < STRIPE_LATENCY_MS / 1000
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert (body["status"], body["payment"]["status"]) == ("pending_payment", "creating")
    assert (body["payment"]["intent_id"], body["payment"]["client_secret"]) == (None, "")
    assert body["payment"]["amount"] == {"amount": "295.11", "currency": "EUR"}
    assert StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get() == (5, 2)
    # ... the buyer's page polls: still creating while the worker waits on Stripe
    polled = client.get(payment_url(order.number))
    assert polled.status_code == 200
    assert (polled.json()["status"], polled.json()["client_secret"]) == ("creating", "")

    # When the worker has created the intent, the poll carries its client secret
    payment = payment_ready(client, order.number, timeout=3 * STRIPE_LATENCY_MS / 1000)
    slow_stripe(0)
    (intent,) = intents_of(_stripe_settings, order)
    assert (payment["status"], payment["intent_id"]) == ("requires_action", intent["id"])
    assert payment["client_secret"] == intent["client_secret"]
    assert (intent["amount"], intent["currency"]) == (29511, "eur")
    stored = Payment.objects.get(order=order)
    assert (stored.idempotency_key, stored.last_error) == (f"order:{order.pk}:payment-intent:v1", "")
    # ... the payment in progress holds the order's stock longer, as before
    assert Order.objects.get(pk=order.pk).payment_hold_until is not None

    # And the buyer pays with Stripe.js: Stripe has it, and nothing was created twice
    assert pay_with(payment["intent_id"]).status == "succeeded"
    assert len(intents_of(_stripe_settings, order)) == 1


def test_the_task_run_twice_at_the_same_moment_creates_one_intent(rates, stripe_front, _stripe_settings):
    # Given an order whose payment was asked for
    order = order_placed([(priced_variant(stock=5), 1)], key="twice-order-1")
    payment = payment_intents.payment_request(order_id=order.pk)
    creating = stripe_front.hold("POST", r"^/v1/payment_intents$")

    # When one run of the task has had Stripe create the intent but not recorded it yet, and a second runs
    first = []

    def run_first():
        try:
            first.append(create_intent(payment.pk))
        finally:
            connection.close()

    running = threading.Thread(target=run_first)
    running.start()
    creating.wait()
    second = create_intent(payment.pk)
    creating.release()
    running.join(30)

    # Then both runs sent the same key, Stripe answered the second with the first's intent, and it is recorded once
    key = f"order:{order.pk}:payment-intent:v1"
    calls = stripe_front.calls("POST", r"^/v1/payment_intents$")
    assert [(c.idempotency_key, c.replayed) for c in calls] == [(key, False), (key, True)]
    (intent,) = intents_of(_stripe_settings, order)
    assert (first, second) == (["requires_action"], "requires_action")
    payment.refresh_from_db()
    assert (payment.intent_id, payment.client_secret) == (intent["id"], intent["client_secret"])
    assert Payment.objects.filter(order=order).count() == 1

    # And a third run (a redelivery) asks Stripe nothing
    assert create_intent(payment.pk) == "requires_action"
    assert len(stripe_front.calls("POST", r"^/v1/payment_intents$")) == 2


def test_a_retry_while_the_intent_is_being_created_creates_no_second_intent(
        rates, celery_worker, slow_stripe, _stripe_settings, caplog):
    # Given a checkout whose intent the worker is still creating
    slow_stripe(2000)
    buyer, address = buyer_with_cart([(priced_variant(stock=5), 1)])
    client = client_for(buyer)
    number = client.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                         HTTP_IDEMPOTENCY_KEY="retry-checkout-1").json()["number"]
    order = Order.objects.get(number=number)

    # When the buyer's page asks again before the secret came
    caplog.set_level(logging.INFO, logger="payments.tasks")
    retried = client.post(payment_url(number))

    # Then it is accepted without waiting on Stripe, and one intent comes of both
    assert retried.status_code == 202, retried.json()
    assert (retried.json()["status"], retried.json()["client_secret"]) == ("creating", "")
    payment = payment_ready(client, number)
    pk = Payment.objects.get(order=order).pk
    wait_for(lambda: [r.getMessage() for r in caplog.records].count(f"payment {pk}: requires_action") == 2,
             message="both runs of the task")
    slow_stripe(0)
    (intent,) = intents_of(_stripe_settings, order)
    assert payment["intent_id"] == intent["id"]

    # When it asks once more, the intent existing
    again = client.post(payment_url(number))

    # Then the answer is the same intent at once, and Stripe was asked for nothing
    assert again.status_code == 200
    assert again.json() == payment
    assert len(intents_of(_stripe_settings, order)) == 1


def test_stripe_refusing_leaves_the_payment_unavailable_and_retryable(
        rates, celery_worker, settings, _stripe_settings):
    # Given Stripe refusing to create intents (the local server rejects Connect's transfer_group)
    settings.STRIPE_SEND_TRANSFER_GROUP = True
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    client = client_for(buyer)

    # When the buyer checks out
    number = client.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                         HTTP_IDEMPOTENCY_KEY="refused-checkout-1").json()["number"]
    order = Order.objects.get(number=number)

    # Then the order stands, and the payment says it could not be created, with nothing on Stripe
    refused = wait_for(lambda: (r := client.get(payment_url(number)).json())["status"] == "unavailable" and r,
                       message="the payment unavailable")
    assert (refused["intent_id"], refused["client_secret"]) == (None, "")
    assert "transfer_group" in Payment.objects.get(order=order).last_error
    assert intents_of(_stripe_settings, order) == []
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT
    assert StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get() == (5, 1)

    # When Stripe accepts again and the buyer's page asks again
    settings.STRIPE_SEND_TRANSFER_GROUP = False
    retried = client.post(payment_url(number))

    # Then the worker creates the intent, once
    assert (retried.status_code, retried.json()["status"]) == (202, "creating")
    payment = payment_ready(client, number)
    (intent,) = intents_of(_stripe_settings, order)
    assert (payment["status"], payment["intent_id"]) == ("requires_action", intent["id"])
    assert Payment.objects.get(order=order).last_error == ""


def test_stripe_out_of_reach_makes_the_task_retry_and_the_next_run_creates_the_intent(
        rates, settings, _stripe_settings):
    # Given an order whose payment was asked for, and Stripe out of reach
    order = order_placed([(priced_variant(stock=5), 1)], key="unreachable-order-1")
    payment = payment_intents.payment_request(order_id=order.pk)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_local.free_port()}"  # nothing listens there

    # When the task runs, it fails in a way the worker retries with backoff
    assert payment_errors.TransientGatewayError in create_intent.autoretry_for
    with pytest.raises(payment_errors.TransientGatewayError):
        create_intent(payment.pk)

    # Then the payment is unavailable, without an intent, and the buyer sees so
    payment.refresh_from_db()
    assert (payment.status, payment.intent_id, payment.client_secret) == ("unavailable", None, "")
    assert payment.last_error
    polled = client_for(order.buyer).get(payment_url(order.number)).json()
    assert (polled["status"], polled["client_secret"]) == ("unavailable", "")

    # When Stripe is back, the retried run creates the intent
    settings.STRIPE_API_BASE = _stripe_settings
    assert create_intent(payment.pk) == "requires_action"
    payment.refresh_from_db()
    (intent,) = intents_of(_stripe_settings, order)
    assert (payment.status, payment.intent_id, payment.last_error) == ("requires_action", intent["id"], "")


def test_an_order_gone_before_its_intent_was_created_gets_none(rates, stripe_front, _stripe_settings):
    # Given an order whose payment was asked for, and which expired before the worker came to it
    order = order_placed([(priced_variant(stock=5), 1)], key="expired-order-1")
    payment = payment_intents.payment_request(order_id=order.pk)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Order.objects.filter(pk=order.pk).update(reservation_expires_at=an_hour_ago)
    assert lifecycle.order_expire(order_id=order.pk)

    # When the task runs
    outcome = create_intent(payment.pk)

    # Then Stripe is asked nothing, the payment is cancelled, and the buyer cannot ask again
    assert outcome == "canceled"
    assert stripe_front.calls("POST", r"^/v1/payment_intents") == []
    payment.refresh_from_db()
    assert (payment.status, payment.intent_id) == ("canceled", None)
    response = client_for(order.buyer).post(payment_url(order.number))
    assert (response.status_code, response.json()["error"]["code"]) == (409, "conflict")


def test_the_intent_task_has_a_queue_of_its_own_that_a_plain_worker_also_serves():
    for waits_on_stripe in ("payments.create_intent", "payments.process_webhook_event"):
        assert project_celery_app.amqp.router.route({}, waits_on_stripe)["queue"].name == "payments"
    assert project_celery_app.amqp.router.route({}, "customs.declare_shipment")["queue"].name == "celery"
    # A worker started without -Q consumes every declared queue.
    assert set(project_celery_app.amqp.queues) == {"celery", "payments"}
