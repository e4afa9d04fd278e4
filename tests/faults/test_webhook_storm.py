"""A storm of Stripe webhook deliveries: hundreds of signed posts at once to the real web server, with
every event replayed several times, in no particular order, stale copies of intents among them, events
we do not act on, forged and stale signatures, and operators refunding in the middle of it; a real
worker processes them. Effects must happen exactly once.

The worker runs the prefork pool with two processes, so two deliveries of one payment are processed at
the same moment and only the database's row locks keep them from both acting.
"""

import datetime as dt
import json
import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import stripe
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from customs.models import CustomsDeclaration
from orders.models import Order, OrderStatus
from orders.services import lifecycle
from orders.services.checkout import order_place
from payments.models import LedgerEntry, Payment, Refund, WebhookEvent
from payments.services import intents as payment_intents
from shop.models import StockLevel
from tests.faults.client import WEBHOOK_PATH, Replies, assert_clean, request, signature_header, stripe_event
from tests.faults.flash_sale import stripe_get, wait_until
from tests.faults.postgres import connections_of
from tests.orders.factories import buyer_with_cart
from tests.payments.helpers import assert_ledger_balanced, pay_with
from tests.shop.factories import UserFactory, priced_variant

WEB_WORKERS = 2  # gunicorn's workers (the launcher's default)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

REPLAYS = 8  # deliveries of each event in the first wave


def place(variant, key):
    buyer, address = buyer_with_cart([(variant, 2)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key=key,
                        request_hash="h").order
    return Order.objects.get(pk=payment_intents.payment_start(order_id=order.pk).order_id)


def as_stripe_has_it(stripe_url, order, **changes):
    """The PaymentIntent as Stripe shows it now, or an out-of-date copy of it (`changes`)."""
    return {**stripe_get(stripe_url, f"/v1/payment_intents/{order.payment.intent_id}"), **changes}


def post_all(web_url, deliveries, replies, label):
    """Post every (body, signature) at once from 12 connections; one attempt each."""
    def post(delivery):
        body, signature = delivery
        headers = {"Stripe-Signature": signature} if signature is not None else {}
        return request(web_url, "POST", WEBHOOK_PATH, label=label, replies=replies, body=body, headers=headers)

    with ThreadPoolExecutor(12) as pool:
        return list(pool.map(post, deliveries))


def signed(event, secret, timestamp=None):
    payload = json.dumps(event).encode()
    return payload, signature_header(payload, secret, timestamp)


def charge_of(stripe_url, order):
    charge = stripe_get(stripe_url, f"/v1/payment_intents/{order.payment.intent_id}")["latest_charge"]
    return stripe_get(stripe_url, f"/v1/charges/{charge['id'] if isinstance(charge, dict) else charge}")


def test_webhook_storm_has_exactly_once_effects(rates, launch, stripe_front, settings):
    stripe_url, secret = settings.STRIPE_API_BASE, settings.STRIPE_WEBHOOK_SECRET
    redis = launch.redis()
    worker = launch.worker("worker", broker_url=redis.url, pool="prefork", concurrency=2, wait=False)
    web, web_url = launch.web(broker_url=redis.url, wait=False)

    # Given ten orders of two units: six paid, two declined, one never paid, and one paid after it expired
    variant = priced_variant(amount="100.00", stock=30)
    orders = [place(variant, f"storm-order-{i}") for i in range(10)]
    paid, declined, unpaid, late = orders[:6], orders[6:8], orders[8], orders[9]
    for order in paid:
        pay_with(order.payment.intent_id)
    for order in declined:
        with pytest.raises(stripe.CardError):
            pay_with(order.payment.intent_id, card_number="4000000000000341")
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)  # the buyer left the payment page long ago
    Order.objects.filter(pk=late.pk).update(reservation_expires_at=an_hour_ago, payment_hold_until=an_hour_ago)
    assert lifecycle.order_expire(order_id=late.pk)
    pay_with(late.payment.intent_id)
    worker.wait_ready(), web.wait_ready()

    # When Stripe's events arrive, each several times, shuffled, with stale copies and forgeries among them
    events = []
    for order in paid:
        events += [stripe_event("payment_intent.succeeded", as_stripe_has_it(stripe_url, order)),
                   stripe_event("payment_intent.processing", as_stripe_has_it(stripe_url, order, status="processing")),
                   stripe_event("payment_intent.requires_action",
                                as_stripe_has_it(stripe_url, order, status="requires_action")),
                   stripe_event("charge.succeeded", charge_of(stripe_url, order))]
    for order in declined:
        events += [stripe_event("payment_intent.payment_failed", as_stripe_has_it(stripe_url, order)),
                   stripe_event("payment_intent.requires_action",
                                as_stripe_has_it(stripe_url, order, status="requires_action"))]
    events += [stripe_event("payment_intent.succeeded", as_stripe_has_it(stripe_url, unpaid, status="succeeded")),
               stripe_event("payment_intent.succeeded", as_stripe_has_it(stripe_url, late))]
    deliveries = [signed(event, secret) for event in events for _ in range(REPLAYS)]
    forged = stripe_event("payment_intent.succeeded", as_stripe_has_it(stripe_url, unpaid, status="succeeded"))
    bad = [signed(forged, "whsec_not_ours")] * 4 + [signed(forged, secret, timestamp=1_700_000_000)] * 3 + [
        (signed(forged, secret)[0], None)] * 2 + [(signed(forged, secret)[0], "t=1,v1=00")]
    wave = deliveries + bad
    random.Random(7).shuffle(wave)
    replies = Replies()
    post_all(web_url, wave, replies, "wave")
    wait_until(lambda: not WebhookEvent.objects.filter(processed_at__isnull=True).exists()
               and Refund.objects.filter(order=late, status=Refund.Status.SUCCEEDED).exists(), timeout=40,
               message="the first wave processed")

    # ... and operators refund two orders while refund events and replays of everything pour in
    operator = {"Authorization": f"Bearer {AccessToken.for_user(UserFactory(is_staff=True, is_superuser=True))}"}
    partial, full = paid[0], paid[1]
    keyed = {"partial": {**operator, "Idempotency-Key": "storm-refund-partial"},
             "full": {**operator, "Idempotency-Key": "storm-refund-full"}}
    with ThreadPoolExecutor(2) as pool:
        refunding = [
            pool.submit(request, web_url, "POST", f"/api/v1/operator/orders/{partial.number}/refunds/",
                        label="refund", replies=replies, headers=keyed["partial"], body={
                            "reason": "One boot arrived scuffed", "lines": [
                                {"line_id": partial.lines.get().pk, "quantity": 1}]}),
            pool.submit(request, web_url, "POST", f"/api/v1/operator/orders/{full.number}/refunds/",
                        label="refund", replies=replies, headers=keyed["full"],
                        body={"reason": "Cancelled by the buyer", "full": True}),
        ]
        second_wave = [signed(event, secret) for event in events for _ in range(2)]
        random.Random(8).shuffle(second_wave)
        post_all(web_url, second_wave, replies, "replay")
        assert [f.result(timeout=30).status for f in refunding] == [202, 202]
    wait_until(lambda: Refund.objects.filter(status=Refund.Status.SUCCEEDED).count() == 3, timeout=30,
               message="refunds made")
    refunded = []
    for order in (partial, full):
        charge = charge_of(stripe_url, order)
        refunded += [stripe_event("charge.refunded", charge), stripe_event("charge.refunded", charge)]
    post_all(web_url, [signed(event, secret) for event in refunded for _ in range(6)], replies, "refunded")
    wait_until(lambda: not WebhookEvent.objects.filter(processed_at__isnull=True).exists(), timeout=30,
               message="every event processed")

    # Then every delivery was answered: 200 (once as new, then as duplicates) or 400 for a bad signature
    all_events = events + refunded
    valid = [r for r in replies.all if r.label in ("wave", "replay", "refunded") and r.status != 400]
    assert len(replies.all) == len(wave) + len(second_wave) + 6 * len(refunded) + 2
    for reply in replies.all:
        assert_clean(reply)
    assert {r.status for r in valid} == {200}
    assert sum(1 for r in valid if r.json() == {"received": True, "duplicate": False}) == len(all_events)
    assert sum(1 for r in valid if r.json() == {"received": True, "duplicate": True}) == len(valid) - len(all_events)
    rejected = [r for r in replies.all if r.status == 400]
    assert len(rejected) == len(bad) and {r.json()["error"]["code"] for r in rejected} == {"webhook_invalid"}
    # ... each valid event was stored once and processed; the forged ones never
    assert sorted(WebhookEvent.objects.values_list("event_id", flat=True)) == sorted(e["id"] for e in all_events)
    assert not WebhookEvent.objects.filter(event_id=forged["id"]).exists()

    # ... and the money moved once: one charge each, the refunds asked for and the late payment's, nothing else
    def state(order):
        order.refresh_from_db()
        return order.status, Payment.objects.get(order=order).status

    # the full refund of a parcel not yet shipped leaves nothing to send: that order is cancelled
    assert [state(o) for o in paid] == [(OrderStatus.PAID, "succeeded"), (OrderStatus.CANCELLED, "succeeded")] + [
        (OrderStatus.PAID, "succeeded")] * 4
    assert [o.payment_status for o in paid] == ["partially_refunded", "refunded"] + ["paid"] * 4
    for order in declined:  # "canceled" once an event is processed after we cancelled the declined intent
        assert state(order) in ((OrderStatus.CANCELLED, "failed"), (OrderStatus.CANCELLED, "canceled"))
    assert state(unpaid) == (OrderStatus.PENDING_PAYMENT, "requires_action")
    assert state(late) == (OrderStatus.EXPIRED, "succeeded")
    for order in [*declined, unpaid]:
        assert not order.ledger_entries.exists() and not Refund.objects.filter(order=order).exists()
    for order in [*paid, late]:
        assert LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.CHARGE).count() == 1, order.number
        assert_ledger_balanced(order)
        on_stripe = stripe_get(stripe_url, f"/v1/refunds?payment_intent={order.payment.intent_id}")["data"]
        ours = list(Refund.objects.filter(order=order, status="succeeded").values_list("stripe_refund_id",
                                                                                       "amount_minor"))
        assert sorted((r["id"], r["amount"]) for r in on_stripe) == sorted(ours), order.number
        assert LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.REFUND).count() == len(ours)
    unit = partial.lines.get().unit_price
    assert [r.amount for r in Refund.objects.filter(order=partial)] == [unit]
    assert [r.amount for r in Refund.objects.filter(order=full)] == [full.total]
    assert [r.amount for r in Refund.objects.filter(order=late)] == [late.total]
    for order in declined:  # the intent was cancelled, so it can never succeed later
        assert stripe_get(stripe_url, f"/v1/payment_intents/{order.payment.intent_id}")["status"] == "canceled"
    # ... stock: refunded and cancelled units back on sale once, the unpaid order's still held
    assert StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get() == (
        30, 1 + 2 * 4 + 2)
    # ... and each paid order's parcel declared once
    assert CustomsDeclaration.objects.filter(status="sent").count() == 3 * len(paid)
    assert len(list(settings.CUSTOMS_OUTBOX_DIR.glob("*.xml"))) == 3 * len(paid)
    assert unit == Decimal("86.000") and partial.total > unit  # 100 USD at 0.86, and the order has more
    # ... and, everything answered, the web server keeps no more connections than its pools hold (one per
    # concurrent request stayed open under ASGI before connections were pooled)
    pool_size = settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    assert connections_of("faults-web") <= WEB_WORKERS * pool_size
