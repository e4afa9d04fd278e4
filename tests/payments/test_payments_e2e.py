"""Stripe's real SDK over HTTP against the local Stripe-compatible server, signed webhooks delivered to
the running app, and a real Celery worker processing them."""

from decimal import Decimal

import pytest
import stripe
from django.urls import reverse

from config.errors import Conflict
from devtools import stripe_local as stripe_server
from orders.models import Order, OrderStatus
from payments.models import Payment, Refund, WebhookEvent
from payments.tasks import execute_refund
from shop.models import StockLevel
from tests.accounts.factories import client_for
from tests.helpers import wait_for
from tests.orders.factories import buyer_with_cart
from tests.payments.helpers import assert_ledger_balanced, pay_with, payment_ready
from tests.shop.factories import UserFactory, priced_variant

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def webhooks(live_server, settings, _stripe_settings):
    """The local Stripe server posts signed events to the running app; muted again afterwards."""
    target = live_server.url + reverse("payments:stripe-webhook")
    stripe_server.register_webhook(_stripe_settings, "app", target, settings.STRIPE_WEBHOOK_SECRET)
    yield
    stripe_server.register_webhook(_stripe_settings, "app", "http://127.0.0.1:9/", "muted")


def checkout(buyer, address, key):
    """Check out as the buyer's page does: the order at once, then its payment polled until the worker
    has created the PaymentIntent. Returns (order, payment as the API shows it)."""
    client = client_for(buyer)
    response = client.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                           HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["payment"]["status"], body["payment"]["client_secret"]) == ("creating", "")
    return Order.objects.get(number=body["number"]), payment_ready(client, body["number"])


def place_order(variant, quantity=1):
    buyer, address = buyer_with_cart([(variant, quantity)])
    return checkout(buyer, address, "e2e-checkout-1")


def stock(variant):
    return StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get()


def test_checkout_pay_with_card_webhook_marks_order_paid(rates, webhooks, celery_worker, settings, tmp_path):
    settings.CUSTOMS_OUTBOX_DIR = tmp_path
    variant = priced_variant(amount="120.00", stock=5)
    order, payment = place_order(variant, 2)
    assert payment["status"] == "requires_action"
    assert payment["amount"] == {"amount": "295.11", "currency": "EUR"}  # goods, shipping, duty and VAT
    intent = stripe_client_intent(payment["intent_id"])
    assert (intent.amount, intent.currency, intent.metadata["order_number"]) == (29511, "eur", order.number)

    pay_with(payment["intent_id"])  # the buyer's browser confirms the card

    wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID)
    # The order turns paid inside the event's processing; the event records its outcome just after.
    event = wait_for(lambda: WebhookEvent.objects.filter(type="payment_intent.succeeded",
                                                         processed_at__isnull=False).first())
    assert event.outcome == f"payment {order.payment.pk} is succeeded"
    assert Payment.objects.get(order=order).status == "succeeded"
    assert stock(variant) == (5, 2)  # paid stock stays reserved until it ships
    assert_ledger_balanced(order)
    # What follows payment: the worker files the parcel's export declarations.
    wait_for(lambda: len(list(tmp_path.glob("CEB*.xml"))) == 3)
    assert sorted(p.name[:6] for p in tmp_path.glob("CEB*.xml")) == ["CEB303", "CEB505", "CEB603"]


def test_declined_card_cancels_the_order_and_returns_stock_once(rates, webhooks, celery_worker):
    variant = priced_variant(stock=5)
    order, payment = place_order(variant, 3)
    with pytest.raises(stripe.CardError):
        pay_with(payment["intent_id"], card_number="4000000000000341")
    wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED)
    assert Payment.objects.get(order=order).status == "failed"
    assert stock(variant) == (5, 0)
    assert not order.ledger_entries.exists()  # no money moved


def test_3ds_card_waits_for_the_buyer_then_succeeds(rates, webhooks, celery_worker, _stripe_settings):
    import urllib.request

    variant = priced_variant(stock=5)
    order, payment = place_order(variant)
    intent = pay_with(payment["intent_id"], card_number="4000002500003155")
    assert intent.status == "requires_action"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT and order.payment_hold_until is not None

    # The buyer completes the bank's challenge.
    data = f"client_secret={intent.client_secret}&success=true&key=pk_test_livedock".encode()
    urllib.request.urlopen(f"{_stripe_settings}/v1/payment_intents/{intent.id}/_authenticate", data=data).close()
    wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID)
    assert_ledger_balanced(order)


def test_partial_then_full_refund_by_operator_through_the_worker(rates, webhooks, celery_worker):
    a = priced_variant(amount="50.00", stock=5)
    order, payment = checkout(*buyer_with_cart([(a, 2)]), "e2e-refund-1")
    pay_with(payment["intent_id"])
    wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID)

    operator = client_for(UserFactory(is_staff=True, is_superuser=True))
    line = order.lines.get()
    url = reverse("payments:operator-refund", args=[order.number])
    response = operator.post(url, {"reason": "One pair arrived scuffed", "lines": [
        {"line_id": line.pk, "quantity": 1}]}, format="json", HTTP_IDEMPOTENCY_KEY="refund-scuffed")
    assert response.status_code == 202, response.json()
    assert response.json()["amount"] == "43.000"  # 50 USD x 0.86 = 43.00 EUR
    wait_for(lambda: Refund.objects.get(order=order).status == "succeeded")
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.PAID, "partially_refunded")  # its parcel still ships
    assert stock(a) == (5, 1)  # the refunded unit had not shipped: back on sale

    over = operator.post(url, {"reason": "Again", "lines": [{"line_id": line.pk, "quantity": 2}]}, format="json",
                         HTTP_IDEMPOTENCY_KEY="refund-again")
    assert over.status_code == 409 and over.json()["error"]["code"] == "refund_not_possible"

    response = operator.post(url, {"reason": "Order cancelled by buyer", "full": True}, format="json",
                             HTTP_IDEMPOTENCY_KEY="refund-cancelled")
    assert response.status_code == 202
    wait_for(lambda: Order.objects.get(pk=order.pk).payment_status == "refunded")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED  # nothing was left to ship
    assert set(order.shipments.values_list("status", flat=True)) == {"cancelled"}
    assert stock(a) == (5, 0)
    assert sum(r.amount for r in Refund.objects.filter(order=order)) == order.total
    assert_ledger_balanced(order)
    # A redelivered refund task does nothing the second time.
    for refund in Refund.objects.filter(order=order):
        assert execute_refund.run(refund.pk) == "succeeded"
    assert Refund.objects.filter(order=order).count() == 2
    assert_ledger_balanced(order)


def stripe_client_intent(intent_id):
    from tests.payments.helpers import stripe_client

    return stripe_client().v1.payment_intents.retrieve(intent_id)


def test_manual_capture_authorises_then_captures_only_what_ships(rates, webhooks, celery_worker, settings):
    from payments.services import intents as payment_intents
    from payments.services import reconcile as payment_reconcile

    settings.STRIPE_CAPTURE_METHOD = "manual"
    boots = priced_variant(amount="100.00", stock=5)
    laces = priced_variant(amount="20.00", stock=5)
    order, payment = checkout(*buyer_with_cart([(boots, 1), (laces, 2)]), "e2e-capture-1")
    intent = pay_with(payment["intent_id"])
    assert intent.status == "requires_capture"
    # The local server sends no event for an authorisation; reconciliation finds it, as it would a lost one.
    assert payment_reconcile.payments_reconcile(older_than_minutes=0) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert Payment.objects.get(order=order).status == "authorized"
    assert not order.ledger_entries.exists()  # nothing charged yet

    laces_line = order.lines.get(variant=laces)
    payment = payment_intents.payment_capture(order_id=order.pk, exclude_lines=[(laces_line.pk, 2)])
    assert payment.status == "succeeded"
    order.refresh_from_db()
    assert payment.captured_amount == order.total - Decimal("34.40")  # 2 x 20 USD x 0.86 not charged
    assert stock(laces) == (5, 0) and stock(boots) == (5, 1)
    assert_ledger_balanced(order)
    with pytest.raises(Conflict):
        payment_intents.payment_capture(order_id=order.pk)  # captured once


def test_manual_capture_takes_the_money_once_when_the_first_parcel_ships(rates, webhooks, celery_worker, settings):
    from orders.services import lifecycle
    from payments.services import reconcile as payment_reconcile

    settings.STRIPE_CAPTURE_METHOD = "manual"
    boots = priced_variant(amount="100.00", stock=5)
    laces = priced_variant(amount="20.00", stock=5)
    assert boots.product.manufacturer_id != laces.product.manufacturer_id  # two parcels
    order, payment = checkout(*buyer_with_cart([(boots, 1), (laces, 2)]), "e2e-capture-2")
    pay_with(payment["intent_id"])
    payment_reconcile.payments_reconcile(older_than_minutes=0)
    assert Payment.objects.get(order=order).status == "authorized" and not order.ledger_entries.exists()

    first, second = order.shipments.order_by("pk")
    lifecycle.shipment_mark_packed(shipment_id=first.pk, actor=None)
    lifecycle.shipment_mark_shipped(shipment_id=first.pk, actor=None, carrier="SF", tracking_number="SF100")
    wait_for(lambda: Payment.objects.get(order=order).status == "succeeded", message="the capture")
    lifecycle.shipment_mark_shipped(shipment_id=second.pk, actor=None, carrier="SF", tracking_number="SF101")
    order.refresh_from_db()
    captured = Payment.objects.get(order=order)
    assert captured.captured_amount == order.total
    intent = stripe_client_intent(captured.intent_id)
    assert (intent.status, intent.amount) == ("succeeded", captured.amount_minor)
    assert order.ledger_entries.filter(kind="charge").count() == 1
    payment_reconcile.payments_reconcile(older_than_minutes=0)  # nothing left to capture: nothing changes
    assert order.ledger_entries.filter(kind="charge").count() == 1
    assert_ledger_balanced(order)
