"""A PaymentIntent the provider no longer knows (its test-mode store emptied, as when the local Stripe-compatible
server restarts) is replaced once, when the buyer asks to pay again or reconciliation checks the order, so the
order can still be paid."""

import pytest
from django.conf import settings
from django.urls import reverse

from devtools import stripe_local
from orders.models import OrderStatus
from payments.models import Payment
from payments.services import intents as payment_intents
from payments.services import reconcile
from payments.tasks import create_intent
from tests.accounts.factories import client_for
from tests.orders.factories import order_placed
from tests.payments.helpers import pay_with
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db


def test_the_buyer_asking_again_replaces_an_intent_stripe_forgot_and_the_order_is_paid(rates):
    order = order_placed([(priced_variant(stock=5), 1)], key="stale-intent-1")
    client = client_for(order.buyer)
    url = reverse("payments:order-payment", args=[order.number])
    assert client.post(url).status_code == 202
    create_intent.run(Payment.objects.get(order=order).pk)  # the worker
    stale = Payment.objects.get(order=order)
    assert stale.intent_id and stale.idempotency_key.endswith(":v1")

    stripe_local.flush(settings.STRIPE_API_BASE)  # the provider forgets every intent
    again = client.post(url)
    assert again.status_code == 200 and again.json()["intent_id"] == stale.intent_id  # no call to Stripe in here
    for _ in range(2):  # the worker checks it, and a repeat of the task replaces nothing more
        create_intent.run(stale.pk)
    fresh = Payment.objects.get(order=order)
    assert fresh.pk == stale.pk and Payment.objects.filter(order=order).count() == 1
    assert fresh.intent_id != stale.intent_id and fresh.idempotency_key.endswith(":v2")
    assert fresh.status == "requires_action" and fresh.client_secret != stale.client_secret
    assert client.get(url).json()["client_secret"] == fresh.client_secret

    pay_with(fresh.intent_id)
    payment_intents.payment_sync(payment_id=fresh.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_reconciliation_replaces_a_forgotten_intent_but_never_one_of_a_paid_order(rates):
    waiting = order_placed([(priced_variant(stock=5), 1)], key="stale-intent-2")
    payment = payment_intents.payment_start(order_id=waiting.pk)
    paid = order_placed([(priced_variant(stock=5), 1)], key="stale-intent-3")
    paid_payment = payment_intents.payment_start(order_id=paid.pk)
    pay_with(paid_payment.intent_id)
    payment_intents.payment_sync(payment_id=paid_payment.pk)

    stripe_local.flush(settings.STRIPE_API_BASE)
    reconcile.payments_reconcile(older_than_minutes=0)
    payment.refresh_from_db()
    paid_payment.refresh_from_db()
    assert payment.idempotency_key.endswith(":v2") and payment.status == "requires_action"
    assert (paid_payment.status, paid_payment.idempotency_key) == ("succeeded", f"order:{paid.pk}:payment-intent:v1")
