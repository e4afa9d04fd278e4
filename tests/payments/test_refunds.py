"""Refunds asked for through the operators' API: once per Idempotency-Key, and the order's duties, taxes and
shipping refunded by a typed flag, never by what an operator types."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from orders.errors import ShipmentStateError
from orders.models import Order, Shipment
from orders.services import lifecycle
from payments.errors import PaymentGatewayError, RefundNotPossible
from payments.models import LedgerEntry, Payment, Refund, RefundLine
from payments.services import refunds as refund_services
from payments.tasks import execute_refund
from tests.faults.flash_sale import stripe_get
from tests.payments.factories import paid_order
from tests.payments.helpers import assert_ledger_balanced
from tests.shop.factories import UserFactory, priced_variant

pytestmark = pytest.mark.django_db


def operator_client() -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    return client


def refund_url(order) -> str:
    return f"/api/v1/operator/orders/{order.number}/refunds/"


def test_a_retried_refund_refunds_once_and_another_body_with_its_key_is_refused(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    client = operator_client()
    body = {"reason": "One boot scuffed", "lines": [{"line_id": line.pk, "quantity": 1}]}

    missing = client.post(refund_url(order), body, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "idempotency_key_invalid"
    assert not Refund.objects.exists()

    first = client.post(refund_url(order), body, format="json", HTTP_IDEMPOTENCY_KEY="refund-scuffed-1")
    assert first.status_code == 202 and "Idempotent-Replayed" not in first
    again = client.post(refund_url(order), body, format="json", HTTP_IDEMPOTENCY_KEY="refund-scuffed-1")
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = client.post(refund_url(order), {**body, "reason": "Both scuffed"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="refund-scuffed-1")
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"

    refund = Refund.objects.get()
    line.refresh_from_db()
    assert (refund.amount, refund.includes_extras, line.refunded_quantity) == (line.unit_price, False, 1)
    for _ in range(2):  # the task redelivered, and the client's retry after the money moved
        execute_refund.run(refund.pk)
        assert client.post(refund_url(order), body, format="json",
                           HTTP_IDEMPOTENCY_KEY="refund-scuffed-1").json()["id"] == refund.pk
    at_stripe = stripe_get(settings.STRIPE_API_BASE, f"/v1/refunds?payment_intent={order.payment.intent_id}")["data"]
    assert [r["amount"] for r in at_stripe] == [refund.amount_minor]
    assert Refund.objects.count() == 1 and LedgerEntry.objects.filter(order=order, kind="refund").count() == 1
    assert_ledger_balanced(order)


def test_a_reason_that_looks_like_a_flag_is_only_a_reason(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    assert order.duties_total + order.taxes_total + order.shipping_total > 0
    line = order.lines.get()
    client = operator_client()

    partial = client.post(refund_url(order), {"reason": "[extras] customer changed mind", "lines": [
        {"line_id": line.pk, "quantity": 1}]}, format="json", HTTP_IDEMPOTENCY_KEY="refund-partial-1")
    assert partial.status_code == 202
    assert partial.json()["reason"] == "[extras] customer changed mind" and partial.json()["includes_extras"] is False
    assert Decimal(partial.json()["amount"]) == line.unit_price
    execute_refund.run(partial.json()["id"])
    assert not LedgerEntry.objects.filter(order=order, kind__in=["duties_taxes", "shipping"], amount__lt=0).exists()
    assert_ledger_balanced(order)

    full = client.post(refund_url(order), {"reason": "Returned", "full": True}, format="json",
                       HTTP_IDEMPOTENCY_KEY="refund-full-1")
    assert full.status_code == 202 and full.json()["includes_extras"] is True
    extras = order.duties_total + order.taxes_total + order.shipping_total
    assert Decimal(full.json()["amount"]) == line.unit_price + extras
    execute_refund.run(full.json()["id"])
    assert_ledger_balanced(order)
    assert sum(r.amount for r in Refund.objects.filter(order=order, status="succeeded")) == order.total

    with pytest.raises(RefundNotPossible):  # nothing left, and the extras never twice
        refund_services.refund_request(order_id=order.pk, lines=None, reason="Again", actor=None, full=True,
                                       idempotency_key="refund-full-2")


def test_refunds_marked_by_the_old_reason_prefix_get_the_flag_and_an_operators_text_keeps_its_words(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    payment = order.payment

    def old_refund(reason: str, amount: Decimal, key: str) -> Refund:
        refund = Refund.objects.create(order=order, payment=payment, amount=amount, currency=order.currency,
                                       amount_minor=int(amount * 100), reason=reason, idempotency_key=key)
        RefundLine.objects.create(refund=refund, order_line=line, quantity=1, amount=line.unit_price)
        return refund

    typed = old_refund("[extras] customer changed mind", line.unit_price, "old-1")
    marked = old_refund("[extras] Returned", line.unit_price + Decimal("10.00"), "old-2")
    migration = importlib.import_module("payments.migrations.0003_refund_typed_extras_and_request_key")
    migration.extras_flag_from_reason(apps, None)
    typed.refresh_from_db()
    marked.refresh_from_db()
    assert (typed.includes_extras, typed.reason) == (False, "[extras] customer changed mind")
    assert (marked.includes_extras, marked.reason) == (True, "Returned")


def stock_of(order) -> tuple[int, int]:
    level = order.lines.get().stock_level
    level.refresh_from_db()
    return level.on_hand, level.reserved


def refused_at_stripe(refund_id: int) -> None:
    """Stripe refuses the refund (it no longer knows the PaymentIntent: 404, not worth a retry)."""
    Payment.objects.filter(refunds=refund_id).update(intent_id="pi_unknown_to_stripe")
    with pytest.raises(PaymentGatewayError):
        refund_services.refund_execute(refund_id=refund_id)


def test_units_go_back_on_sale_only_once_stripe_has_refunded_them(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Wrong colour",
                                            actor=None, idempotency_key="refund-colour").refund
    assert stock_of(order) == (5, 2)  # asked for, not yet refunded: the unit is still the buyer's
    refund_services.refund_execute(refund_id=refund.pk)
    assert stock_of(order) == (5, 1)
    refund_services.refund_execute(refund_id=refund.pk)  # the task again: nothing moves twice
    assert stock_of(order) == (5, 1)
    lifecycle.shipment_mark_shipped(shipment_id=line.shipment_id, actor=None, carrier="SF", tracking_number="SF1")
    assert stock_of(order) == (4, 0)


def test_a_refund_stripe_refuses_gives_its_units_back_to_the_order_once(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Wrong colour",
                                            actor=None, idempotency_key="refund-refused").refund
    refused_at_stripe(refund.pk)
    refund_services.refund_execute(refund_id=refund.pk)  # a redelivered task changes nothing
    refund.refresh_from_db()
    line.refresh_from_db()
    assert (refund.status, line.refunded_quantity, stock_of(order)) == ("failed", 0, (5, 2))
    assert not LedgerEntry.objects.filter(order=order, kind="refund").exists()
    lifecycle.shipment_mark_shipped(shipment_id=line.shipment_id, actor=None, carrier="SF", tracking_number="SF2")
    assert stock_of(order) == (3, 0)  # both units shipped and left the warehouse: stock is not one too high
    assert_ledger_balanced(order)


def test_a_refund_refused_after_its_parcel_shipped_without_the_unit_puts_the_unit_back_on_sale_once(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="Wrong colour",
                                            actor=None, idempotency_key="refund-late-refusal").refund
    lifecycle.shipment_mark_shipped(shipment_id=line.shipment_id, actor=None, carrier="SF", tracking_number="SF3")
    assert stock_of(order) == (4, 1)  # one unit shipped, the one being refunded kept back
    refused_at_stripe(refund.pk)
    refused_again = refund_services.refund_execute(refund_id=refund.pk)
    line.refresh_from_db()
    assert (refused_again.status, line.refunded_quantity, stock_of(order)) == ("failed", 0, (4, 0))


def ship(shipment_id: int, tracking: str) -> None:
    lifecycle.shipment_mark_shipped(shipment_id=shipment_id, actor=None, carrier="SF", tracking_number=tracking)


def test_a_partially_refunded_order_still_ships_and_is_delivered(rates):
    order = paid_order([(priced_variant(stock=5), 2)])
    line = order.lines.get()
    refund = refund_services.refund_request(order_id=order.pk, lines=[(line.pk, 1)], reason="One pair too many",
                                            actor=None, idempotency_key="refund-then-ship").refund
    refund_services.refund_execute(refund_id=refund.pk)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("paid", "partially_refunded")
    ship(line.shipment_id, "SF200")
    lifecycle.shipment_mark_delivered(shipment_id=line.shipment_id)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("delivered", "partially_refunded")
    assert list(order.events.values_list("to_status", flat=True))[-3:] == ["in_fulfilment", "shipped", "delivered"]
    assert stock_of(order) == (4, 0)  # one pair shipped, the refunded one back on sale


def test_a_parcel_refunded_in_full_is_not_shipped_and_the_order_completes_with_the_other(rates):
    boots, laces = priced_variant(stock=5), priced_variant(stock=5)
    order = paid_order([(boots, 1), (laces, 1)])
    boots_line, laces_line = order.lines.get(variant=boots), order.lines.get(variant=laces)
    refund = refund_services.refund_request(order_id=order.pk, lines=[(laces_line.pk, 1)], reason="Out of laces",
                                            actor=None, idempotency_key="refund-whole-parcel").refund
    refund_services.refund_execute(refund_id=refund.pk)
    laces_parcel = Shipment.objects.get(pk=laces_line.shipment_id)
    assert laces_parcel.status == "cancelled"
    ship(boots_line.shipment_id, "SF201")
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("shipped", "partially_refunded")
    with pytest.raises(ShipmentStateError):  # nothing of it is left to send
        ship(laces_parcel.pk, "SF202")


def test_an_order_refunded_in_full_before_anything_shipped_is_cancelled_and_keeps_its_money_story(rates):
    order = paid_order([(priced_variant(stock=5), 1)])
    refund = refund_services.refund_request(order_id=order.pk, lines=None, reason="Buyer cancelled", actor=None,
                                            full=True, idempotency_key="refund-before-ship").refund
    refund_services.refund_execute(refund_id=refund.pk)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("cancelled", "refunded")
    assert order.cancel_reason.startswith(f"Refund {refund.pk}")


def test_orders_in_a_refund_state_get_their_fulfilment_status_back(rates):
    migration = importlib.import_module("orders.migrations.0014_order_payment_status")
    shipped = paid_order([(priced_variant(stock=5), 2)], key="old-shipped")
    ship(shipped.lines.get().shipment_id, "SF300")
    unshipped = paid_order([(priced_variant(stock=5), 1)], key="old-unshipped")
    with connection.cursor() as cursor:  # rows as the old code left them (the constraint came with the change)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE orders_order DROP CONSTRAINT order_status_valid")
    for order, old_status, amount in ((shipped, "partially_refunded", shipped.lines.get().unit_price),
                                      (unshipped, "refunded", unshipped.total)):
        Refund.objects.create(order=order, payment=order.payment, amount=amount, currency=order.currency,
                              amount_minor=int(amount * 100), reason="before", status="succeeded",
                              idempotency_key=f"old-{order.pk}")
        Order.objects.filter(pk=order.pk).update(status=old_status, payment_status="unpaid")
    migration.money_apart_from_goods(apps, None)
    assert Order.objects.values_list("status", "payment_status").get(pk=shipped.pk) == ("shipped", "partially_refunded")
    assert Order.objects.values_list("status", "payment_status").get(pk=unshipped.pk) == ("cancelled", "refunded")
    assert set(unshipped.shipments.values_list("status", flat=True)) == {"cancelled"}
