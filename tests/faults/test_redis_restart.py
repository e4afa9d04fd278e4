"""Redis (cache, live pub/sub and the task broker) crashes during a flash sale and comes back on the same
port. The app runs as in production: gunicorn with uvicorn workers and a Celery worker, here on a
private redis-server persisted like production's (AOF), which is SIGKILLed mid-sale and started again.

What it must do: checkouts never need Redis, so the sale goes on; a request whose work is committed but
whose task cannot be queued still answers its success within a second or so (an order whose PaymentIntent
is asked for, an accepted event, an operator's refund), and so does a worker task (a paid parcel's
declarations): what could not be queued is asked for again by the buyer's page (the PaymentIntent) or
picked up by the reconciliation beats; and once Redis is back everything works again without restarting
a process. A buyer who checked out while Redis was down pays once it is back: the worker creates the
PaymentIntent, and it needs the broker.
"""

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from urllib.parse import urlsplit

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from orders.models import Order, OrderStatus
from payments.models import Refund
from tests.faults.client import Replies, assert_clean, request
from tests.faults.flash_sale import (
    assert_sale_books_balance,
    check_out,
    pay,
    purchase,
    sale_open,
    sale_settled,
    wait_until,
)
from tests.faults.processes import send_beat
from tests.shop.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

CAP = 18
BEFORE, DURING, AFTER = 6, 8, 12  # buyers arriving before the crash, while Redis is down, once it is back
RECOVERY_BEATS = ("payments.reconcile", "customs.declare_pending")
PATIENCE = 8  # seconds: a request that waits longer for the dead Redis is hung (and blocks its web worker)


def test_redis_crash_during_a_flash_sale_loses_no_order_payment_or_declaration(launch, stripe_front, settings):
    # Given a flash deal of 18 units, 26 buyers with it in their cart, and the app on its own Redis
    sale = sale_open(cap=CAP, buyers=BEFORE + DURING + AFTER)
    redis = launch.redis()
    worker = launch.worker("worker", broker_url=redis.url, wait=False, CELERY_VISIBILITY_TIMEOUT="5",
                           LIVEDOCK_RECONCILE_AFTER_MINUTES="0")
    web, web_url = launch.web(broker_url=redis.url, wait=False)
    worker.wait_ready(), web.wait_ready()
    operator = {"Authorization": f"Bearer {AccessToken.for_user(UserFactory(is_staff=True, is_superuser=True))}"}
    replies = Replies()
    buy = partial(purchase, web_url=web_url, stripe_url=settings.STRIPE_API_BASE,
                  secret=settings.STRIPE_WEBHOOK_SECRET, replies=replies)
    buyers = iter(sale.buyers)
    # One buyer has checked out and holds the PaymentIntent's client secret, and will pay while Redis is down
    ready = check_out(web_url=web_url, buyer=next(buyers), replies=replies, phase="before")
    recording_a_payment = stripe_front.hold("GET", r"^/v1/payment_intents/pi_")

    with ThreadPoolExecutor(BEFORE + DURING) as pool:
        sold = [pool.submit(buy, buyer=next(buyers), phase="before") for _ in range(BEFORE - 1)]
        # When Redis dies while the worker is recording a payment (it commits, then cannot queue customs)
        recording_a_payment.wait()
        redis.crash()
        recording_a_payment.release()
        intent_id = urlsplit(recording_a_payment.path).path.rsplit("/", 1)[-1]
        paid = wait_until(lambda: Order.objects.filter(payment__intent_id=intent_id, status=OrderStatus.PAID).first(),
                          timeout=20, message="the payment recorded")
        # ... an operator refunds that order's unit (recorded, then its task cannot be queued)
        refund = request(web_url, "POST", f"/api/v1/operator/orders/{paid.number}/refunds/", label="during:refund",
                         replies=replies, headers={**operator, "Idempotency-Key": "restart-refund"}, body={
                             "reason": "Wrong size sent", "lines": [{"line_id": paid.lines.get().pk, "quantity": 1}]})
        # ... the ready buyer pays (Stripe's webhook is accepted, its task cannot be queued)
        sold.append(pool.submit(pay, ready, web_url=web_url, stripe_url=settings.STRIPE_API_BASE,
                                secret=settings.STRIPE_WEBHOOK_SECRET, replies=replies, phase="during"))
        # ... and buyers keep checking out while it is down
        sold += [pool.submit(buy, buyer=next(buyers), phase="during") for _ in range(DURING)]
        wait_until(lambda: len(replies.labelled("during:checkout")) >= DURING and
                   len(replies.labelled("during:webhook")) >= 1, timeout=40,
                   message="checkouts and a webhook while Redis is down")
        redis.start_again()
        purchases = [future.result(timeout=120) for future in sold]

    # Then the checkouts went on without Redis, and webhooks it refused were taken again once it was back
    assert {r.status for r in replies.labelled("during:checkout")} <= {201, 409}
    assert {r.status for r in replies.labelled("during:poll")} == {200}  # creating, then the client secret
    # ... webhooks were stored and acknowledged (Stripe need not retry), the refund recorded and accepted
    assert {r.status for r in replies.labelled("during:webhook")} == {200}
    assert refund.status == 202, refund.body
    assert list(Refund.objects.values_list("status", flat=True)) == [Refund.Status.REQUESTED]  # but no task ran
    # ... and the reconciliation beats (queued as beat would) finish what could not be queued
    send_beat(redis.url, *RECOVERY_BEATS)
    wait_until(sale_settled, timeout=40, message="every event processed, the refund made, every parcel declared")

    # And with nothing restarted, the rest of the sale runs without a single error
    with ThreadPoolExecutor(6) as pool:
        purchases += list(pool.map(lambda buyer: buy(buyer=buyer, phase="after"), buyers))
    wait_until(sale_settled, timeout=40, message="the sale after the crash settled")
    after = replies.labelled("after:")
    assert after and all(r.status in (200, 201, 202, 409) for r in after), [(r.label, r.status) for r in after]
    assert len(replies.labelled("after:webhook")) == sum(1 for p in purchases[BEFORE + DURING:] if p.order_number)
    for reply in replies.all:
        assert_clean(reply)
    slowest = max(replies.all, key=lambda r: r.seconds)
    assert slowest.seconds < PATIENCE, slowest
    assert_sale_books_balance(sale, purchases, stripe_url=settings.STRIPE_API_BASE,
                              outbox=settings.CUSTOMS_OUTBOX_DIR, refunded=(paid.number,))
    assert web.alive() and worker.alive() and len(redis.processes) == 2
