import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from config.errors import IllegalTransition
from orders.errors import ShipmentStateError
from orders.models import ORDER_TRANSITIONS, Order, OrderEvent, OrderStatus
from orders.services import lifecycle
from orders.services.checkout import order_place
from orders.tasks import expire_unpaid_orders
from shop.models import StockLevel
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import MembershipFactory, UserFactory, priced_variant

pytestmark = pytest.mark.django_db


def place(variants_and_quantities):
    buyer, address = buyer_with_cart(variants_and_quantities)
    return order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="lifecycle-key-1",
                       request_hash="h").order


def stock(variant):
    return StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get()


def test_every_illegal_transition_is_refused_with_a_clear_error(rates):
    order = place([(priced_variant(stock=5), 1)])
    for from_status in OrderStatus.values:
        for to_status in OrderStatus.values:
            if to_status in ORDER_TRANSITIONS[from_status]:
                continue
            Order.objects.filter(pk=order.pk).update(status=from_status)
            events = OrderEvent.objects.filter(order=order).count()
            with pytest.raises(IllegalTransition) as err:
                lifecycle.order_transition(order_id=order.pk, to_status=to_status)
            assert err.value.code == "illegal_transition"
            assert Order.objects.get(pk=order.pk).status == from_status
            assert OrderEvent.objects.filter(order=order).count() == events


def test_database_refuses_unknown_status(rates):
    from django.db import IntegrityError, transaction

    order = place([(priced_variant(stock=5), 1)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(status="lost")


def test_expiry_returns_stock_exactly_once_even_when_run_twice(rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 2)])
    assert stock(variant) == (5, 2)
    later = order.reservation_expires_at + dt.timedelta(seconds=1)
    assert lifecycle.orders_expire_due(now=later) == 1
    assert lifecycle.orders_expire_due(now=later) == 0
    assert lifecycle.order_expire(order_id=order.pk, now=later) is False
    assert stock(variant) == (5, 0)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert list(order.events.values_list("from_status", "to_status")) == [
        ("", "pending_payment"), ("pending_payment", "expired")]


def test_nothing_expires_before_its_time(rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 2)])
    assert lifecycle.orders_expire_due(now=order.reservation_expires_at - dt.timedelta(seconds=1)) == 0
    assert stock(variant) == (5, 2)


def test_a_payment_in_progress_extends_the_reservation_instead_of_expiring_it(rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 1)])
    deadline = order.reservation_expires_at
    lifecycle.order_payment_hold(order_id=order.pk, minutes=60)
    order.refresh_from_db()
    assert order.reservation_expires_at > deadline
    assert lifecycle.orders_expire_due(now=deadline + dt.timedelta(minutes=1)) == 0
    assert lifecycle.order_expire(order_id=order.pk, now=deadline + dt.timedelta(minutes=1)) is False
    assert stock(variant) == (5, 1)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING_PAYMENT
    # Once the hold is over and still unpaid, it expires.
    assert lifecycle.orders_expire_due(now=timezone.now() + dt.timedelta(minutes=61)) == 1
    assert stock(variant) == (5, 0)


def test_a_paid_order_is_never_expired(rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 1)])
    lifecycle.order_mark_paid(order_id=order.pk)
    assert lifecycle.orders_expire_due(now=order.reservation_expires_at + dt.timedelta(hours=1)) == 0
    assert stock(variant) == (5, 1)


def test_expiry_task_runs_the_service(rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 1)])
    Order.objects.filter(pk=order.pk).update(reservation_expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert expire_unpaid_orders.run() == 1
    assert stock(variant) == (5, 0)


def test_operator_cancel_needs_a_reason_and_returns_stock(rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 3)])
    operator = UserFactory(is_staff=True, is_superuser=True)
    from config.errors import InvalidInput

    with pytest.raises(InvalidInput):
        lifecycle.order_cancel(order_id=order.pk, actor=operator, reason=" ")
    assert stock(variant) == (5, 3)
    lifecycle.order_cancel(order_id=order.pk, actor=operator, reason="Buyer asked by phone")
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "Buyer asked by phone")
    assert stock(variant) == (5, 0)
    event = order.events.last()
    assert (event.actor, event.actor_kind, event.note) == (operator, "operator", "Buyer asked by phone")
    with pytest.raises(IllegalTransition):
        lifecycle.order_cancel(order_id=order.pk, actor=operator, reason="again")
    assert stock(variant) == (5, 0)


def test_shipping_consumes_reserved_stock_and_moves_the_order(rates):
    a, b = priced_variant(stock=5), priced_variant(stock=5)
    order = place([(a, 2), (b, 1)])
    staff = UserFactory(is_staff=True)
    first, second = order.shipments.order_by("id")
    with pytest.raises(ShipmentStateError):  # unpaid: nothing leaves the warehouse
        lifecycle.shipment_mark_shipped(shipment_id=first.pk, actor=staff, carrier="SF", tracking_number="SF1")
    lifecycle.order_mark_paid(order_id=order.pk)
    lifecycle.shipment_mark_packed(shipment_id=first.pk, actor=staff)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_FULFILMENT
    lifecycle.shipment_mark_shipped(shipment_id=first.pk, actor=staff, carrier="SF Express", tracking_number="SF1")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_FULFILMENT
    with pytest.raises(ShipmentStateError):  # a parcel ships once
        lifecycle.shipment_mark_shipped(shipment_id=first.pk, actor=staff, carrier="SF", tracking_number="SF1")
    lifecycle.shipment_mark_shipped(shipment_id=second.pk, actor=staff, carrier="EMS", tracking_number="EE1CN")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    assert stock(a) == (3, 0) and stock(b) == (4, 0)
    lifecycle.shipment_mark_delivered(shipment_id=first.pk)
    lifecycle.shipment_mark_delivered(shipment_id=second.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED
    assert [e.to_status for e in Order.objects.get(pk=order.pk).events.all()] == [
        "pending_payment", "paid", "in_fulfilment", "shipped", "delivered"]


def test_manufacturer_admin_sees_only_its_parcels_and_ships_with_tracking(client, rates):
    mine, theirs = priced_variant(stock=5), priced_variant(stock=5)
    order = place([(mine, 1), (theirs, 1)])
    lifecycle.order_mark_paid(order_id=order.pk)
    membership = MembershipFactory(manufacturer=mine.product.manufacturer)
    client.force_login(membership.user)
    response = client.get(reverse("admin:orders_shipment_changelist"))
    shown = list(response.context["cl"].result_list)
    assert [s.manufacturer_id for s in shown] == [mine.product.manufacturer_id]
    lines = client.get(reverse("admin:orders_orderline_changelist")).context["cl"].result_list
    assert [line.sku for line in lines] == [mine.sku]
    assert client.get(reverse("admin:orders_order_changelist")).status_code == 403

    other_parcel = order.shipments.get(manufacturer=theirs.product.manufacturer)
    response = client.post(reverse("admin:orders_shipment_changelist"), {
        "action": "mark_shipped", "_selected_action": [other_parcel.pk], "carrier": "SF", "tracking_number": "X1"})
    other_parcel.refresh_from_db()
    assert other_parcel.status == "pending"
    own_parcel = shown[0]
    client.post(reverse("admin:orders_shipment_changelist"), {
        "action": "mark_shipped", "_selected_action": [own_parcel.pk], "carrier": "SF Express",
        "tracking_number": "SF123456789CN"})
    own_parcel.refresh_from_db()
    assert (own_parcel.status, own_parcel.tracking_number) == ("shipped", "SF123456789CN")
    assert stock(mine) == (4, 0) and stock(theirs) == (5, 1)


def test_operator_cancels_from_the_admin_with_a_reason(client, rates):
    variant = priced_variant(stock=5)
    order = place([(variant, 2)])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post(reverse("admin:orders_order_changelist"),
                {"action": "cancel_orders", "_selected_action": [order.pk], "reason": "Fraud check failed"})
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == ("cancelled", "Fraud check failed")
    assert stock(variant) == (5, 0)
