"""A Celery worker SIGKILLed in the middle of a task that has already had its effect outside: Stripe has
charged, refunded or transferred, or the customs gateway has filed, and the worker dies before it
records the answer. A fresh worker gets the unacknowledged task back and must finish it exactly once.

The workers are real `celery -A config worker` processes on the solo pool: the task runs in the one
process that is killed, so nothing of it survives the kill (a prefork child could outlive its parent
for a moment and finish the task, which is not the fault under test). The Stripe front or the customs
gateway holds its answer to the chosen call, which is how the test knows the worker is mid-task.
"""

import time
from decimal import Decimal

import pytest

from config.celery import app as celery_app
from customs.models import CustomsDeclaration
from orders.models import Order, OrderPaymentStatus, OrderStatus, Shipment
from orders.services.checkout import order_place
from payments.models import LedgerEntry, Payment, Payout, Refund, WebhookEvent
from payments.services import intents as payment_intents
from payments.services import refunds as refund_services
from payments.tasks import create_due_payouts
from shop.models import Manufacturer, StockLevel
from shop.money import quantize
from tests.faults.client import Replies, deliver_webhook, stripe_event
from tests.faults.flash_sale import stripe_get, wait_until
from tests.orders.factories import buyer_with_cart
from tests.payments.helpers import assert_ledger_balanced, pay_with
from tests.shop.factories import UserFactory, priced_variant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

VISIBILITY_TIMEOUT = 1  # seconds: how soon a fresh test worker takes back a dead worker's task
CONNECTED_ACCOUNT = "acct_1FaultsMaker"


@pytest.fixture
def broker(settings):
    """The suite's Redis DB index, emptied of tasks earlier tests queued and no worker consumed, and of
    any a killed worker left unacknowledged (the Redis transport keeps those under "unacked")."""
    import redis

    celery_app.control.purge()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("unacked", "unacked_index")
    client.close()
    return settings.CELERY_BROKER_URL


def start_worker(launch, name, broker, **env):
    return launch.worker(name, broker_url=broker, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), **env)


def kill_mid_task(worker, hold) -> None:
    """SIGKILL the worker while it waits for the held answer, then let the answer go (to nobody)."""
    worker.kill()
    assert not worker.alive()
    hold.release()


def takeover(launch, name, broker, hold, **env):
    """A fresh worker, which takes back the dead worker's unacknowledged task when it starts, provided the
    visibility timeout has passed by then (a worker's start takes longer than that timeout)."""
    worker = start_worker(launch, name, broker, **env)
    assert time.monotonic() > hold.reached_at + VISIBILITY_TIMEOUT, "the worker started too soon to take over"
    return worker


def paid_order(variant, quantity, key):
    buyer, address = buyer_with_cart([(variant, quantity)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key=key,
                        request_hash="h").order
    payment = payment_intents.payment_start(order_id=order.pk, payment_method="pm_card_visa")
    assert payment.status == Payment.Status.SUCCEEDED
    return Order.objects.get(pk=order.pk)


def seller_with_account(variant):
    Manufacturer.objects.filter(pk=variant.product.manufacturer_id).update(payout_account_ref=CONNECTED_ACCOUNT)


def test_payment_webhook_task_killed_after_stripe_answered_is_recorded_once(
        rates, launch, broker, stripe_front, live_server, settings):
    # Given an order the buyer has paid on Stripe, and a worker
    variant = priced_variant(amount="120.00", stock=5)
    buyer, address = buyer_with_cart([(variant, 2)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="faults-pay-1",
                        request_hash="h").order
    payment = payment_intents.payment_start(order_id=order.pk)
    pay_with(payment.intent_id)
    worker_a = start_worker(launch, "pay-a", broker)
    held = stripe_front.hold("GET", rf"^/v1/payment_intents/{payment.intent_id}")

    # When Stripe's webhook arrives and the worker dies while re-reading the PaymentIntent
    replies = Replies()
    event = stripe_event("payment_intent.succeeded", stripe_get(settings.STRIPE_API_BASE,
                                                                f"/v1/payment_intents/{payment.intent_id}"))
    assert deliver_webhook(live_server.url, event, settings.STRIPE_WEBHOOK_SECRET, replies=replies).status == 200
    held.wait()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT  # nothing recorded yet
    kill_mid_task(worker_a, held)
    takeover(launch, "pay-b", broker, held)

    # Then the new worker records the payment once, and what follows payment happens once
    wait_until(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID, timeout=20,
               message="order paid")
    wait_until(lambda: CustomsDeclaration.objects.filter(status="sent").count() == 3, timeout=20,
               message="parcel declared")
    assert len(stripe_front.calls("GET", rf"^/v1/payment_intents/{payment.intent_id}")) == 2  # A's, then B's
    assert len(stripe_get(settings.STRIPE_API_BASE, "/v1/charges?limit=100")["data"]) == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.charge_id.startswith("ch_")
    assert list(order.events.values_list("to_status", flat=True)) == ["pending_payment", "paid"]
    assert LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.CHARGE).count() == 1
    assert_ledger_balanced(order)
    row = WebhookEvent.objects.get()
    assert (row.event_id, row.outcome) == (event["id"], f"payment {payment.pk} is succeeded")
    assert sorted(p.name[:6] for p in settings.CUSTOMS_OUTBOX_DIR.glob("*.xml")) == ["CEB303", "CEB505", "CEB603"]
    assert StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get() == (5, 2)


def test_payout_task_killed_after_the_transfer_pays_the_manufacturer_once(rates, launch, broker, stripe_front):
    # Given a paid order whose manufacturer has a connected account, past the payout hold (0 hours here)
    variant = priced_variant(amount="120.00", stock=5)
    seller_with_account(variant)
    order = paid_order(variant, 2, "faults-payout-1")
    worker_a = start_worker(launch, "payout-a", broker, LIVEDOCK_PAYOUT_HOLD_HOURS="0")
    held = stripe_front.hold("POST", r"^/v1/transfers$")

    # When beat asks for due payouts and the worker dies once Stripe has made the transfer
    create_due_payouts.delay()
    held.wait()
    payout = Payout.objects.get()
    assert payout.status == Payout.Status.PENDING and len(stripe_front.transfers) == 1
    kill_mid_task(worker_a, held)
    takeover(launch, "payout-b", broker, held, LIVEDOCK_PAYOUT_HOLD_HOURS="0")

    # Then the redelivered task repeats the call with the same key, gets the same transfer, records it once
    wait_until(lambda: Payout.objects.get(pk=payout.pk).status == Payout.Status.PAID, timeout=20,
               message="payout paid")
    calls = stripe_front.calls("POST", r"^/v1/transfers$")
    assert [(c.idempotency_key, c.replayed) for c in calls] == [(payout.idempotency_key, False),
                                                                (payout.idempotency_key, True)]
    (transfer,) = stripe_front.transfers.values()
    payout.refresh_from_db()
    assert (transfer["amount"], transfer["destination"], transfer["metadata"]["payout_id"]) == (
        payout.amount_minor, CONNECTED_ACCOUNT, str(payout.pk))
    assert payout.stripe_transfer_id == transfer["id"] and Payout.objects.count() == 1
    transfers = LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.TRANSFER)
    assert list(transfers.values_list("amount", "stripe_object_id")) == [(payout.amount, transfer["id"])]
    assert_ledger_balanced(order)


def test_refund_task_killed_twice_refunds_and_reverses_the_payout_once(rates, launch, broker, stripe_front,
                                                                       settings):
    # Given a paid order of two units whose manufacturer was already paid out
    variant = priced_variant(amount="120.00", stock=5)
    seller_with_account(variant)
    order = paid_order(variant, 2, "faults-refund-1")
    worker_a = start_worker(launch, "refund-a", broker, LIVEDOCK_PAYOUT_HOLD_HOURS="0")
    create_due_payouts.delay()
    wait_until(lambda: Payout.objects.filter(status=Payout.Status.PAID).exists(), timeout=20, message="payout")
    payout = Payout.objects.get()
    refund_held = stripe_front.hold("POST", r"^/v1/refunds$")
    reversal_held = stripe_front.hold("POST", r"^/v1/transfers/tr_\w+/reversals$")

    # When an operator refunds one unit and the worker dies once Stripe has refunded
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Heel came loose",
                                            actor=UserFactory(is_staff=True), idempotency_key="refund-heel").refund
    refund_held.wait()
    stripe_refunds = stripe_get(settings.STRIPE_API_BASE,
                                f"/v1/refunds?payment_intent={order.payment.intent_id}")["data"]
    assert len(stripe_refunds) == 1 and Refund.objects.get().status == Refund.Status.REQUESTED
    kill_mid_task(worker_a, refund_held)
    # ... and the next worker records the refund but dies once Stripe has reversed the manufacturer's share
    worker_b = takeover(launch, "refund-b", broker, refund_held)
    reversal_held.wait()
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED and len(stripe_front.reversals) == 1
    kill_mid_task(worker_b, reversal_held)
    takeover(launch, "refund-c", broker, reversal_held)

    # Then one refund and one reversal exist on Stripe, and each is in our books once
    share = quantize(line.unit_price, "EUR") - quantize(line.unit_price * Decimal("0.08"), "EUR")
    wait_until(lambda: LedgerEntry.objects.filter(kind=LedgerEntry.Kind.TRANSFER_REVERSAL).exists(), timeout=20,
               message="the reversal recorded")
    refund.refresh_from_db()
    (stripe_refund,) = stripe_get(settings.STRIPE_API_BASE,
                                  f"/v1/refunds?payment_intent={order.payment.intent_id}")["data"]
    assert (refund.status, refund.stripe_refund_id) == (Refund.Status.SUCCEEDED, stripe_refund["id"])
    assert stripe_refund["amount"] == refund.amount_minor == int(line.unit_price * 100)
    assert [c.replayed for c in stripe_front.calls("POST", r"^/v1/refunds$")] == [False, True]
    (reversal,) = stripe_front.reversals.values()
    assert (reversal["transfer"], reversal["amount"]) == (payout.stripe_transfer_id, int(share * 100))
    assert [c.replayed for c in stripe_front.calls("POST", r"/reversals$")] == [False, True]
    books = LedgerEntry.objects.filter(order=order)
    assert list(books.filter(kind=LedgerEntry.Kind.REFUND).values_list("amount", "stripe_object_id")) == [
        (-refund.amount, stripe_refund["id"])]
    assert list(books.filter(kind=LedgerEntry.Kind.TRANSFER_REVERSAL).values_list("amount", "stripe_object_id")) == [
        (-share, reversal["id"])]
    payout.refresh_from_db()
    assert payout.reversed_amount == share
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PAID, OrderPaymentStatus.PARTIALLY_REFUNDED)
    assert StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get() == (5, 1)
    assert_ledger_balanced(order)


def test_declaration_task_killed_after_the_gateway_filed_files_each_message_once(
        rates, launch, broker, customs_gateway):
    # Given a worker that sends declarations to the customs gateway over HTTP
    variant = priced_variant(amount="120.00", stock=5)
    worker_a = start_worker(launch, "customs-a", broker, CUSTOMS_TRANSPORT="http",
                            CUSTOMS_GATEWAY_URL=customs_gateway.url)
    held = customs_gateway.hold("POST", r"")

    # When an order is paid and the worker dies once the gateway has filed the parcel's first message
    order = paid_order(variant, 1, "faults-customs-1")
    held.wait()
    shipment = Shipment.objects.get(order=order)
    declarations = CustomsDeclaration.objects.filter(shipment=shipment)
    assert len(customs_gateway.filed) == 1 and not declarations.filter(status="sent").exists()
    kill_mid_task(worker_a, held)
    takeover(launch, "customs-b", broker, held, CUSTOMS_TRANSPORT="http", CUSTOMS_GATEWAY_URL=customs_gateway.url)

    # Then the same three messages (same guids) are filed once each; only the first was delivered twice
    wait_until(lambda: declarations.filter(status="sent").count() == 3, timeout=20, message="declarations sent")
    guids = dict(declarations.values_list("message_type", "guid"))
    assert sorted(guids) == ["CEB303", "CEB505", "CEB603"]
    assert customs_gateway.deliveries == [(guids["CEB303"], "CEB303"), (guids["CEB303"], "CEB303"),
                                          (guids["CEB505"], "CEB505"), (guids["CEB603"], "CEB603")]
    assert {guid: filed.message_type for guid, filed in customs_gateway.filed.items()} == {
        guid: kind for kind, guid in guids.items()}
    assert set(declarations.values_list("transport_ref", flat=True)) == {
        f"{customs_gateway.url}/messages/{guid}" for guid in guids.values()}
    assert Shipment.objects.get(pk=shipment.pk).customs_status == "declared"
