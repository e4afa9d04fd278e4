"""A task whose message never reached the broker (Redis down when the request or task that queued it
committed) or was lost with it: the reconciliation beat does the work, once.

Here the loss is exact rather than provoked: in a test run inside one transaction that is rolled back,
the services' on-commit queueing never happens, so the rows are left as a lost message leaves them.
(test_redis_restart provokes the same for a refund, an event and declarations with real processes.)
"""

import pytest

from orders.models import Order, OrderPaymentStatus, OrderStatus
from orders.services.checkout import order_place
from payments.models import LedgerEntry, Payout, Refund
from payments.services import intents as payment_intents
from payments.services import payouts as payout_services
from payments.services import reconcile as payment_reconcile
from payments.services import refunds as refund_services
from shop.models import Manufacturer
from tests.faults.flash_sale import stripe_get
from tests.orders.factories import buyer_with_cart
from tests.payments.helpers import assert_ledger_balanced
from tests.shop.factories import priced_variant

pytestmark = [pytest.mark.django_db, pytest.mark.faults]


def test_reconciliation_makes_a_payout_and_a_refund_whose_tasks_were_lost_once(rates, stripe_front, settings):
    # Given a paid order whose payout and partial refund were recorded but whose tasks never ran
    settings.STRIPE_API_BASE = stripe_front.url  # through the front: the local server has no Connect
    settings.LIVEDOCK_PAYOUT_HOLD_HOURS = 0
    variant = priced_variant(amount="120.00", stock=5)
    Manufacturer.objects.filter(pk=variant.product.manufacturer_id).update(payout_account_ref="acct_1LostTask")
    buyer, address = buyer_with_cart([(variant, 2)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="lost-task-1",
                        request_hash="h").order
    payment_intents.payment_start(order_id=order.pk, payment_method="pm_card_visa")
    assert payout_services.payouts_create_due() == 1
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Sole split", actor=None,
                                            idempotency_key="refund-sole-split").refund
    payout = Payout.objects.get()
    assert (payout.status, refund.status) == (Payout.Status.PENDING, Refund.Status.REQUESTED)
    assert not stripe_front.transfers and not stripe_front.calls("POST", r"^/v1/refunds$")

    # When the reconciliation beat runs, and runs again
    payment_reconcile.payments_reconcile(older_than_minutes=0)
    payment_reconcile.payments_reconcile(older_than_minutes=0)

    # Then the manufacturer was paid once, the buyer refunded once, and the paid share taken back once
    payout.refresh_from_db()
    refund.refresh_from_db()
    (transfer,) = stripe_front.transfers.values()
    (reversal,) = stripe_front.reversals.values()
    (stripe_refund,) = stripe_get(settings.STRIPE_API_BASE,
                                  f"/v1/refunds?payment_intent={order.payment.intent_id}")["data"]
    assert (payout.status, payout.stripe_transfer_id, transfer["amount"]) == (
        Payout.Status.PAID, transfer["id"], payout.amount_minor)
    assert (refund.status, refund.stripe_refund_id, stripe_refund["amount"]) == (
        Refund.Status.SUCCEEDED, stripe_refund["id"], refund.amount_minor)
    assert reversal["transfer"] == transfer["id"] and payout.reversed_amount * 100 == reversal["amount"]
    money_moved = LedgerEntry.objects.filter(order=order, kind__in=["transfer", "refund", "transfer_reversal"])
    assert sorted(money_moved.values_list("kind", flat=True)) == ["refund", "transfer", "transfer_reversal"]
    assert Order.objects.values_list("status", "payment_status").get(pk=order.pk) == (
        OrderStatus.PAID, OrderPaymentStatus.PARTIALLY_REFUNDED)
    assert_ledger_balanced(order)
