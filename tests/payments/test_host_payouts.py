"""Live hosts are paid their commission after the return window, net of refunds, to their own connected
account; a refund after the payout takes their share back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from payments.models import LedgerEntry, Payout
from payments.services import payouts as payout_services
from payments.services import refunds as refund_services
from tests.livestream.factories import buyer_with_deal_cart, checkout, live_deal_create
from tests.payments.factories import order_pay
from tests.payments.helpers import assert_ledger_balanced, refund_responder

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(hours=73)  # past the return window (LIVEDOCK_PAYOUT_HOLD_HOURS)


def deal_order(quantity: int = 2):
    """A buyer's order of `quantity` units from a live deal (59.00 USD each, 15% commission to the host)."""
    host, _session, variant, deal = live_deal_create(cap=5, per_buyer_limit=quantity)
    buyer, address = buyer_with_deal_cart(variant, deal, quantity=quantity)
    order = order_pay(checkout(buyer, address, "host-payout-order").order)
    maker = variant.product.manufacturer
    maker.payout_account_ref = "acct_maker"
    maker.save()
    return host, order


def test_the_host_is_paid_its_commission_once_and_a_later_refund_takes_its_share_back(recording_gateway):
    host, order = deal_order()
    commission = LedgerEntry.objects.get(order=order, kind="host_commission")
    # 2 x 59.00 USD at 0.86 = 2 x 50.74 EUR; 15% of 101.48 = 15.222 -> 15.22 EUR
    assert (commission.host_id, commission.amount) == (host.pk, Decimal("15.220"))
    host.payout_account_ref = "acct_host"
    host.save()
    transfers, reversals = [], []
    recording_gateway(refund_responder(transfers, reversals))

    assert payout_services.payouts_create_due() == 0  # inside the return window: nobody is paid
    assert payout_services.payouts_create_due(now=timezone.now() + LATER) == 2
    assert payout_services.payouts_create_due(now=timezone.now() + LATER) == 0
    host_payout = Payout.objects.get(order=order, recipient_kind="host")
    assert (host_payout.host_id, host_payout.manufacturer_id, host_payout.destination_account) == (
        host.pk, None, "acct_host")
    for payout in Payout.objects.filter(order=order):
        payout_services.payout_execute(payout_id=payout.pk)
        payout_services.payout_execute(payout_id=payout.pk)  # redelivered: one transfer each
    sent = {call["headers"]["Idempotency-Key"]: call["data"] for call in transfers}
    assert len(transfers) == 2
    host_call = sent[f"order:{order.pk}:payout:host:{host.pk}"]
    assert "amount=1522" in host_call and "destination=acct_host" in host_call
    assert LedgerEntry.objects.get(order=order, kind="transfer", host_id=host.pk).amount == Decimal("15.220")
    assert_ledger_balanced(order)

    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Too small",
                                            actor=None, idempotency_key="host-refund-1").refund
    refund_services.refund_execute(refund_id=refund.pk)
    refund_services.refund_execute(refund_id=refund.pk)  # the task again: nothing taken twice
    host_back = LedgerEntry.objects.get(order=order, kind="transfer_reversal", host_id=host.pk)
    assert host_back.amount == Decimal("-7.610")  # 15% of 50.74
    assert len(reversals) == 2  # the host's share and the manufacturer's, once each
    assert_ledger_balanced(order)


def test_a_host_without_an_account_is_paid_once_it_has_one_net_of_refunds(recording_gateway):
    host, order = deal_order()
    transfers, reversals = [], []
    recording_gateway(refund_responder(transfers, reversals))
    payout_services.payouts_create_due(now=timezone.now() + LATER)
    host_payout = Payout.objects.get(order=order, recipient_kind="host")
    assert host_payout.status == "awaiting_account"
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Too small",
                                            actor=None, idempotency_key="host-refund-2").refund
    refund_services.refund_execute(refund_id=refund.pk)
    assert not any(f"payout:host:{host.pk}" in c["headers"]["Idempotency-Key"] for c in transfers)

    host.payout_account_ref = "acct_host_late"
    host.save()
    assert payout_services.payouts_with_accounts_now() == 1
    paid = payout_services.payout_execute(payout_id=host_payout.pk)
    assert (paid.status, paid.amount, paid.destination_account) == ("paid", Decimal("7.610"), "acct_host_late")
    assert reversals == []
    assert_ledger_balanced(order)
