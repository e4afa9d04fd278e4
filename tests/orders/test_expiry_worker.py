"""The expiry task through a real Celery worker and the Redis broker."""

import datetime as dt

import pytest
from django.utils import timezone

from orders.models import Order, OrderStatus
from orders.services.checkout import order_place
from orders.tasks import expire_unpaid_orders
from shop.models import StockLevel
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_task_expires_through_a_worker_and_returns_stock_once(rates, celery_app, celery_worker):
    variant = priced_variant(stock=4)
    buyer, address = buyer_with_cart([(variant, 3)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="worker-key-1",
                        request_hash="h").order
    Order.objects.filter(pk=order.pk).update(reservation_expires_at=timezone.now() - dt.timedelta(seconds=1))
    first = expire_unpaid_orders.delay()
    second = expire_unpaid_orders.delay()
    assert sorted([first.get(timeout=20), second.get(timeout=20)]) == [0, 1]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED
    level = StockLevel.objects.get(variant=variant)
    assert (level.on_hand, level.reserved) == (4, 0)
