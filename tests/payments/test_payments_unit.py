"""Payment rules the local Stripe server does not check (amounts, idempotency, Connect, webhook edge
cases), tested with Stripe's own SDK: objects from construct_from, signatures from its helper, and a
recording HTTP client standing in for Stripe's servers."""

import datetime as dt
import json
import time
from decimal import Decimal

import pytest
import stripe
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.services import lifecycle
from orders.services.checkout import order_place
from payments import errors as payment_errors
from payments.models import LedgerEntry, Payment, Payout, WebhookEvent
from payments.services import intents as payment_intents
from payments.services import payouts as payout_services
from payments.services import reconcile as payment_reconcile
from payments.services import refunds as refund_services
from payments.tasks import execute_refund, process_webhook_event
from shop import money
from tests.orders.factories import buyer_with_cart
from tests.payments.factories import order_paid_at_stripe, paid_order
from tests.payments.helpers import assert_ledger_balanced, pay_with, refund_responder, transfer_responder
from tests.shop.factories import priced_variant


@pytest.mark.django_db
def test_payment_intent_idempotency_key_is_deterministic_and_stored_before_the_call(rates, recording_gateway):
    buyer, address = buyer_with_cart([(priced_variant(stock=5), 1)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="idem-key-01",
                        request_hash="h").order
    seen_payment_rows = []

    def respond(call):
        # At the moment of the call our row already holds the key.
        seen_payment_rows.append(Payment.objects.get(order=order).idempotency_key)
        return 500, {"error": {"type": "api_error", "message": "boom"}}

    recorder = recording_gateway(respond)
    for _ in range(2):
        with pytest.raises(payment_errors.TransientGatewayError):  # 5xx: the task would retry
            payment_intents.payment_start(order_id=order.pk)
    keys = [call["headers"]["Idempotency-Key"] for call in recorder.calls]
    assert keys == [f"order:{order.pk}:payment-intent:v1"] * 2
    assert seen_payment_rows == keys
    assert Payment.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_card_errors_are_not_retried(rates, recording_gateway):
    buyer, address = buyer_with_cart([(priced_variant(stock=5), 1)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="idem-key-02",
                        request_hash="h").order
    recording_gateway(lambda call: (402, {"error": {"type": "card_error", "code": "card_declined",
                                                    "message": "Your card was declined."}}))
    with pytest.raises(payment_errors.PaymentGatewayError):
        payment_intents.payment_start(order_id=order.pk)


@pytest.mark.django_db
def test_payouts_split_per_manufacturer_after_the_hold_and_ledger_balances(rates, recording_gateway, settings):
    settings.LIVEDOCK_PAYOUT_HOLD_HOURS = 72
    a = priced_variant(amount="100.00", stock=5)
    b = priced_variant(amount="50.00", stock=5)
    for variant, account in ((a, "acct_maker_a"), (b, "")):
        maker = variant.product.manufacturer
        maker.payout_account_ref = account
        maker.save()
    order = paid_order([(a, 1), (b, 2)])
    # goods 86.00 + 86.00 EUR; fee 8%: A 6.88 -> 79.12; B 6.88 -> 79.12
    assert_ledger_balanced(order)

    transfers, reversals = [], []
    recording_gateway(transfer_responder(transfers, reversals))
    assert payout_services.payouts_create_due() == 0  # still inside the hold period
    later = timezone.now() + dt.timedelta(hours=73)
    assert payout_services.payouts_create_due(now=later) == 2
    assert payout_services.payouts_create_due(now=later) == 0  # once per order and manufacturer
    payout_a = Payout.objects.get(order=order, manufacturer=a.product.manufacturer)
    payout_b = Payout.objects.get(order=order, manufacturer=b.product.manufacturer)
    assert (payout_a.amount, payout_a.status) == (Decimal("79.120"), "pending")
    assert payout_b.status == "awaiting_account"  # no connected account yet: nothing is sent

    for _ in range(2):  # a redelivered task transfers once
        payout_services.payout_execute(payout_id=payout_a.pk)
    assert len(transfers) == 1
    sent = transfers[0]
    assert sent["headers"]["Idempotency-Key"] == f"order:{order.pk}:payout:manufacturer:{a.product.manufacturer_id}"
    assert "amount=7912" in sent["data"] and "destination=acct_maker_a" in sent["data"]
    assert f"transfer_group={order.number}" in sent["data"]
    assert "source_transaction=" in sent["data"]
    assert_ledger_balanced(order)

    # Refunding A's line reverses A's transfer by its share.
    line_a = order.lines.get(variant=a)
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line_a.pk, 1)], reason="Damaged", actor=None,
                                            idempotency_key="refund-damaged-a").refund
    recorder = recording_gateway(lambda call: (200, {"id": "re_1", "object": "refund"})
                                 if call["url"].endswith("/v1/refunds") else transfer_responder(transfers,
                                                                                                 reversals)(call))
    refund_services.refund_execute(refund_id=refund.pk)
    assert [c["url"].rsplit("/", 2)[-2:] for c in reversals] == [["tr_1", "reversals"]]
    assert "amount=7912" in reversals[0]["data"]
    assert recorder.calls[0]["headers"]["Idempotency-Key"] == refund.idempotency_key
    assert LedgerEntry.objects.get(order=order, kind="transfer_reversal").amount == Decimal("-79.120")
    assert_ledger_balanced(order)


@pytest.mark.django_db
def test_over_refund_and_unpaid_refund_are_refused_without_changes(rates):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    unpaid = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="unpaid-key",
                         request_hash="h").order
    with pytest.raises(payment_errors.RefundNotPossible):
        refund_services.refund_request(order_id=unpaid.pk, lines=None, reason="x", actor=None, full=True,
                                       idempotency_key="refund-unpaid")
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    with pytest.raises(payment_errors.RefundNotPossible):
        refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 3)], reason="x", actor=None,
                                       idempotency_key="refund-too-many")
    line.refresh_from_db()
    assert line.refunded_quantity == 0 and not order.refunds.exists()


@pytest.mark.django_db
def test_payment_arriving_after_expiry_is_refunded_in_full(rates):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="late-key",
                        request_hash="h").order
    payment = payment_intents.payment_start(order_id=order.pk)
    Order.objects.filter(pk=order.pk).update(payment_hold_until=None,
                                             reservation_expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert lifecycle.orders_expire_due() == 1
    pay_with(payment.intent_id)
    payment_intents.payment_sync(payment_id=payment.pk)
    refund = order.refunds.get()
    assert refund.status == "requested"
    execute_refund.run(refund.pk)  # what the worker does with the queued task
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    refund.refresh_from_db()
    assert (refund.amount, refund.status) == (order.total, "succeeded")
    assert_ledger_balanced(order)


@pytest.mark.django_db
def test_reconciliation_finds_a_payment_whose_webhook_was_lost(rates):
    order, _payment = order_paid_at_stripe([(priced_variant(stock=5), 1)])  # no webhook is delivered in this test
    assert payment_reconcile.payments_reconcile(older_than_minutes=0) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


# --- webhooks ---------------------------------------------------------------------------------------


def _signed(client, payload: dict, secret: str, timestamp: int | None = None, sign_with: str | None = None):
    body = json.dumps(payload)
    timestamp = timestamp or int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", sign_with or secret)
    return client.post(reverse("payments:stripe-webhook"), data=body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=f"t={timestamp},v1={signature}")


def _event(event_id, event_type, object_id):
    return {"id": event_id, "object": "event", "type": event_type, "created": int(time.time()),
            "data": {"object": {"id": object_id, "object": "payment_intent"}}}


@pytest.mark.django_db
def test_forged_stale_and_malformed_webhooks_are_400_and_change_nothing(client, settings):
    secret = settings.STRIPE_WEBHOOK_SECRET
    event = _event("evt_1", "payment_intent.succeeded", "pi_x")
    for response in (
        _signed(client, event, secret, sign_with="whsec_wrong"),
        _signed(client, event, secret, timestamp=int(time.time()) - 3600),
        client.post(reverse("payments:stripe-webhook"), data="{}", content_type="application/json"),
        client.post(reverse("payments:stripe-webhook"), data="not json", content_type="application/json",
                    HTTP_STRIPE_SIGNATURE="t=1,v1=abc"),
    ):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "webhook_invalid"
    assert not WebhookEvent.objects.exists()


def _signed_body(client, body: str, secret: str, timestamp: int):
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", secret)
    return client.post(reverse("payments:stripe-webhook"), data=body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=f"t={timestamp},v1={signature}")


@pytest.mark.django_db
def test_correctly_signed_but_malformed_or_future_dated_webhooks_are_400_and_change_nothing(
        client, settings, django_capture_on_commit_callbacks):
    secret, now = settings.STRIPE_WEBHOOK_SECRET, int(time.time())
    event = _event("evt_1", "payment_intent.succeeded", "pi_x")
    bodies = ['{"id": "evt_noType"}', "[1, 2, 3]", '"evt_1"', "null", "not json", "[" * 100_000 + "]" * 100_000,
              '{"a": ' * 40 + "1" + "}" * 40,
              json.dumps({**event, "data": 5}), json.dumps({**event, "data": {"object": "pi_x"}}),
              json.dumps({**event, "id": 5}), json.dumps({**event, "type": ["payment_intent.succeeded"]})]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for body in bodies:
            response = _signed_body(client, body, secret, now)
            assert (body[:40], response.status_code, response.json()["error"]["code"]) == (
                body[:40], 400, "webhook_invalid")
        # Signed ten minutes ahead: Stripe's five-minute tolerance holds both ways.
        future = _signed(client, event, secret, timestamp=now + 600)
        assert (future.status_code, future.json()["error"]["code"]) == (400, "webhook_invalid")
        assert future.json()["error"]["message"] == "Timestamp outside the tolerance zone (in the future)."
    assert not WebhookEvent.objects.exists() and callbacks == []
    # Within the tolerance, a little ahead (clock skew) is accepted.
    assert _signed(client, event, secret, timestamp=now + 60).json() == {"received": True, "duplicate": False}


@pytest.mark.django_db
def test_duplicate_and_unknown_webhooks_are_acknowledged_once(client, settings, django_capture_on_commit_callbacks):
    secret = settings.STRIPE_WEBHOOK_SECRET
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _signed(client, _event("evt_dup", "payment_intent.succeeded", "pi_unknown"), secret)
        again = _signed(client, _event("evt_dup", "payment_intent.succeeded", "pi_unknown"), secret)
        other = _signed(client, _event("evt_type", "customer.created", "cus_1"), secret)
    assert [r.json() for r in (first, again, other)] == [
        {"received": True, "duplicate": False}, {"received": True, "duplicate": True},
        {"received": True, "duplicate": False}]
    assert len(callbacks) == 2  # the duplicate queued nothing
    for row in WebhookEvent.objects.all():  # what the worker does with each queued task
        process_webhook_event.run(row.pk)
    outcomes = dict(WebhookEvent.objects.values_list("event_id", "outcome"))
    assert outcomes == {"evt_dup": "ignored: unknown PaymentIntent pi_unknown",
                        "evt_type": "ignored: customer.created is not an event we act on"}


@pytest.mark.django_db
def test_out_of_order_and_replayed_events_have_exactly_once_effects(client, settings, rates):
    order, payment = order_paid_at_stripe([(priced_variant(stock=5), 1)])
    secret = settings.STRIPE_WEBHOOK_SECRET
    # A stale "failed" arrives after success, then success twice under new ids: Stripe's state wins.
    for event_id, kind in (("evt_a", "payment_intent.payment_failed"), ("evt_b", "payment_intent.succeeded"),
                           ("evt_c", "payment_intent.succeeded")):
        _signed(client, _event(event_id, kind, payment.intent_id), secret)
    for row in WebhookEvent.objects.order_by("received_at"):
        process_webhook_event.run(row.pk)
        process_webhook_event.run(row.pk)  # redelivered
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert list(order.events.values_list("to_status", flat=True)) == ["pending_payment", "paid"]
    assert LedgerEntry.objects.filter(order=order, kind="charge").count() == 1
    assert_ledger_balanced(order)


@pytest.mark.django_db
def test_ledger_rows_cannot_be_rewritten(rates):
    from django.db import DatabaseError, transaction

    order = paid_order([(priced_variant(stock=5), 1)])
    entry = LedgerEntry.objects.filter(order=order).first()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.django_db
def test_checkout_in_a_currency_stripe_cannot_charge_creates_nothing(rates, settings):
    settings.LIVEDOCK_SUPPORTED_CURRENCIES = [*settings.LIVEDOCK_SUPPORTED_CURRENCIES, "VND"]
    from shop.models import FxRate

    FxRate.objects.create(base="USD", quote="VND", rate=Decimal("25000"), as_of=dt.date(2026, 11, 20), source="t")
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    with pytest.raises(money.PaymentNotPossible):
        order_place(buyer=buyer, address_id=address.pk, currency="VND", idempotency_key="vnd-key-1", request_hash="h")
    assert not Order.objects.exists()


def _maker_account(variant, account: str) -> None:
    maker = variant.product.manufacturer
    maker.payout_account_ref = account
    maker.save()


@pytest.mark.django_db
def test_a_payout_waiting_for_an_account_is_sent_once_it_exists_for_what_is_owed_then(rates, recording_gateway):
    variant = priced_variant(amount="50.00", stock=5)
    _maker_account(variant, "")
    order = paid_order([(variant, 2)])  # 86.00 EUR of goods, fee 8%: 79.12 owed
    transfers, reversals = [], []
    recording_gateway(refund_responder(transfers, reversals))
    later = timezone.now() + dt.timedelta(hours=73)
    assert payout_services.payouts_create_due(now=later) == 1
    payout = Payout.objects.get(order=order)
    assert (payout.status, payout.amount) == ("awaiting_account", Decimal("79.120"))

    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Scuffed", actor=None,
                                            idempotency_key="refund-awaiting-1").refund
    refund_services.refund_execute(refund_id=refund.pk)
    assert payout_services.payouts_with_accounts_now() == 0  # still no account: nothing is sent
    assert transfers == []

    _maker_account(variant, "acct_late")
    assert payout_services.payouts_create_due(now=later) == 0  # no new payout; the waiting one is now sent
    payout.refresh_from_db()
    assert (payout.status, payout.destination_account) == ("pending", "acct_late")
    for _ in range(2):  # the queued task and a redelivery
        payout_services.payout_execute(payout_id=payout.pk)
    payout.refresh_from_db()
    assert (payout.status, payout.amount) == ("paid", Decimal("39.560"))  # what is owed after the refund
    assert len(transfers) == 1 and "amount=3956" in transfers[0]["data"] and reversals == []
    assert_ledger_balanced(order)


@pytest.mark.django_db
def test_a_payout_for_an_order_refunded_in_full_before_it_was_paid_pays_nothing(rates, recording_gateway):
    variant = priced_variant(amount="50.00", stock=5)
    _maker_account(variant, "")
    order = paid_order([(variant, 1)])
    transfers, reversals = [], []
    recording_gateway(refund_responder(transfers, reversals))
    payout_services.payouts_create_due(now=timezone.now() + dt.timedelta(hours=73))
    refund = refund_services.refund_request(order_id=order.pk, lines=None, reason="Cancelled", actor=None, full=True,
                                            idempotency_key="refund-awaiting-full").refund
    refund_services.refund_execute(refund_id=refund.pk)
    _maker_account(variant, "acct_late")
    assert payout_services.payouts_with_accounts_now() == 1
    payout = payout_services.payout_execute(payout_id=Payout.objects.get(order=order).pk)
    assert (payout.status, payout.amount) == ("not_owed", Decimal("0.000"))
    assert transfers == [] and reversals == []
    assert_ledger_balanced(order)


@pytest.mark.django_db
def test_a_refund_completing_while_the_payout_is_on_its_way_is_taken_back_once(rates, recording_gateway):
    variant = priced_variant(amount="50.00", stock=5)
    _maker_account(variant, "acct_maker")
    order = paid_order([(variant, 2)])
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Scuffed", actor=None,
                                            idempotency_key="refund-in-flight").refund
    transfers, reversals = [], []
    # Stripe has the transfer request while the worker records the refund: neither saw the other
    recording_gateway(refund_responder(transfers, reversals,
                                        on_transfer=lambda: refund_services.refund_execute(refund_id=refund.pk)))
    payout_services.payouts_create_due(now=timezone.now() + dt.timedelta(hours=73))
    payout = payout_services.payout_execute(payout_id=Payout.objects.get(order=order).pk)
    assert (payout.status, payout.amount) == ("paid", Decimal("79.120"))  # read before the refund completed
    assert len(reversals) == 1 and "amount=3956" in reversals[0]["data"]
    refund_services.refund_execute(refund_id=refund.pk)  # the refund's task again: nothing taken twice
    assert len(reversals) == 1
    assert LedgerEntry.objects.get(order=order, kind="transfer_reversal").amount == Decimal("-39.560")
    assert_ledger_balanced(order)
