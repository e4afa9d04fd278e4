"""Properties of the money: for any sequence of refunds (by line, in full, refused by Stripe), payouts
(with and without a connected account) and the reversals refunds cause, every order's ledger balances in its
currency, no party is transferred more than it is owed, no more is refunded than was captured, and stock
moves once. The real services against PostgreSQL; the payment at the local Stripe-compatible server, refunds
and Connect behind the recording gateway (tests/payments/conftest.py). A bounded number of sequences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.errors import InvalidInput
from payments import gateway as gw
from payments.errors import PaymentGatewayError, RefundNotPossible
from payments.models import Payout, Refund
from payments.services import payouts as payout_services
from payments.services import refunds as refund_services
from shop.models import StockLevel
from tests.payments.factories import paid_order
from tests.payments.helpers import assert_ledger_balanced, transfer_responder
from tests.shop.factories import priced_variant

operations = st.lists(st.one_of(
    st.tuples(st.just("refund"), st.integers(min_value=0, max_value=1), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("refused"), st.integers(min_value=0, max_value=1), st.integers(min_value=1, max_value=2)),
    st.tuples(st.just("full"), st.just(0), st.just(0)),
    st.tuples(st.just("payouts"), st.just(0), st.just(0)),
    st.tuples(st.just("account"), st.just(0), st.just(0)),
), min_size=1, max_size=8)


@pytest.fixture
def money_world(db, rates, recording_gateway):
    """Two manufacturers' goods (one with a connected account, one without yet) and a gateway that refunds,
    transfers and reverses, or refuses refunds while `refusing` is set."""
    state = {"refusing": False, "transfers": [], "reversals": []}
    connect = transfer_responder(state["transfers"], state["reversals"])

    def respond(call):
        if call["url"].endswith("/v1/refunds"):
            if state["refusing"]:
                return 400, {"error": {"type": "invalid_request_error", "message": "Refused."}}
            return 200, {"id": f"re_{call['headers']['Idempotency-Key'][-12:]}", "object": "refund"}
        return connect(call)

    real = gw.gateway
    state["install"] = lambda: recording_gateway(respond)
    state["uninstall"] = lambda: setattr(gw, "gateway", real)  # the next sequence pays at the local server again
    return state


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_any_sequence_of_refunds_and_payouts_keeps_the_books_and_the_stock_exact(money_world, steps):
    money_world["uninstall"]()
    with transaction.atomic():
        boots, laces = priced_variant(amount="100.00", stock=5), priced_variant(amount="20.00", stock=5)
        maker = boots.product.manufacturer
        maker.payout_account_ref = "acct_boots"
        maker.save()
        order = paid_order([(boots, 1), (laces, 3)], key=f"money-{len(steps)}-{hash(tuple(steps)) % 10**8}")
        money_world["install"]()  # the payment was made at the local server; refunds and Connect from here
        lines = list(order.lines.order_by("variant_id"))
        later = timezone.now() + dt.timedelta(hours=73)
        for number, (operation, index, quantity) in enumerate(steps):
            money_world["refusing"] = operation == "refused"
            try:
                if operation in ("refund", "refused", "full"):
                    refund = refund_services.refund_request(
                        order_id=order.pk, lines=None if operation == "full" else [(lines[index].pk, quantity)],
                        reason="Returned", actor=None, full=operation == "full", idempotency_key=f"step-{number}",
                    ).refund
                    refund_services.refund_execute(refund_id=refund.pk)
                elif operation == "payouts":
                    payout_services.payouts_create_due(now=later)
                    for payout in Payout.objects.filter(order=order, status=Payout.Status.PENDING):
                        payout_services.payout_execute(payout_id=payout.pk)
                else:
                    other = laces.product.manufacturer
                    other.payout_account_ref = "acct_laces"
                    other.save()
            except (RefundNotPossible, InvalidInput):  # asked for more than is left: nothing changed
                pass
            except PaymentGatewayError:
                assert operation == "refused"
            assert_ledger_balanced(order)
            refunded = Refund.objects.filter(order=order, status="succeeded").aggregate(s=Sum("amount"))["s"]
            assert (refunded or Decimal(0)) <= order.payment.captured_amount
            for line in lines:
                line.refresh_from_db()
                sold = line.quantity - line.refunded_quantity
                level = StockLevel.objects.get(pk=line.stock_level_id)
                # unshipped: what is still sold stays reserved, refunded units are back on sale, once
                assert (level.on_hand, level.reserved) == (5, sold), (operation, line.sku, sold)
        transaction.set_rollback(True)
