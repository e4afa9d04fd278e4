"""Real parallel checkouts on PostgreSQL: each thread has its own database connection and transaction."""

from collections import Counter

import pytest

from orders.models import Order, OrderLine
from orders.services.checkout import order_place
from shop.errors import InsufficientStock
from shop.models import StockLevel
from tests.helpers import race
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import priced_variant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_many_buyers_race_for_a_small_stock(rates):
    variant = priced_variant(stock=7)
    buyers = [buyer_with_cart([(variant, 1)]) for _ in range(20)]
    results = race([
        (lambda b=b, a=a: order_place(buyer=b, address_id=a.pk, currency="EUR", idempotency_key=f"race-{b.pk}-key",
                                      request_hash="h").order.pk)
        for b, a in buyers
    ])
    outcomes = Counter(kind for kind, _ in results)
    errors = [value for kind, value in results if kind == "error"]
    assert outcomes == {"ok": 7, "error": 13}
    assert all(isinstance(e, InsufficientStock) and e.code == "insufficient_stock" for e in errors), errors
    level = StockLevel.objects.get(variant=variant)
    assert (level.on_hand, level.reserved) == (7, 7)
    assert Order.objects.count() == 7
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 7


def test_overlapping_carts_in_opposite_orders_do_not_deadlock(rates):
    a, b = priced_variant(stock=100), priced_variant(stock=100)
    buyers = [buyer_with_cart([(a, 1), (b, 1)] if i % 2 else [(b, 1), (a, 1)]) for i in range(12)]
    results = race([
        (lambda b=b, ad=ad: order_place(buyer=b, address_id=ad.pk, currency="EUR",
                                        idempotency_key=f"overlap-{b.pk}", request_hash="h"))
        for b, ad in buyers
    ])
    assert [kind for kind, _ in results] == ["ok"] * 12, [v for k, v in results if k == "error"]
    assert StockLevel.objects.get(variant=a).reserved == 12
    assert StockLevel.objects.get(variant=b).reserved == 12


def test_parallel_repeats_of_one_idempotency_key_create_one_order(rates):
    variant = priced_variant(stock=10)
    buyer, address = buyer_with_cart([(variant, 2)])
    results = race([
        (lambda: order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="same-key-123",
                             request_hash="h"))
        for _ in range(6)
    ])
    placed = [value for kind, value in results if kind == "ok"]
    assert len(placed) == 6, [v for k, v in results if k == "error"]
    assert len({p.order.pk for p in placed}) == 1
    assert sum(not p.replayed for p in placed) == 1
    assert Order.objects.count() == 1
    assert StockLevel.objects.get(variant=variant).reserved == 2
