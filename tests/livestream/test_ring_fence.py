"""A flash deal's units are set aside from free stock at launch (allocation rows per size and warehouse,
counted in the stock rows' `reserved`), its orders take them from there, and what is left goes back to free
stock once when the deal is over."""

import datetime as dt
import importlib
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from livestream import gate, selectors, services, tasks
from livestream.errors import DealSizeSoldOut, DealSoldOut, DealStockShort
from livestream.models import ClaimStatus, DealAllocation, DealClaim, FlashDeal
from orders.models import Order, OrderLine, OrderStatus
from orders.services import lifecycle
from orders.services.cart import cart_line_add
from shop.errors import InsufficientStock
from shop.models import StockLevel
from tests.accounts.factories import address_create, buyer_create, client_for
from tests.helpers import race
from tests.livestream.factories import approved_item, checkout, claim_for, make_world, sized_product


def launch(host, session, item, cap, *, sizes=None, per_buyer_limit=1, minutes=30):
    return services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk,
                                deal_price=Decimal("59.00"), quantity_cap=cap, per_buyer_limit=per_buyer_limit,
                                duration_minutes=minutes, sizes=sizes)


def live_world(stock):
    """A live session with an approved product in the sizes and warehouses of `stock` (see sized_product)."""
    variants = sized_product(stock)
    first = next(iter(variants.values()))
    host, session, _ = make_world(variant=first)
    item = approved_item(host, session, first)
    services.session_go_live(host=host, session_id=session.pk)
    return host, session, item, variants


def stock_rows(variants):
    """(size label, on hand, reserved) per stock row, in checkout order (default warehouse first)."""
    rows = StockLevel.objects.filter(variant__in=variants.values()).select_related("variant", "warehouse")
    default = next(iter(variants.values())).product.manufacturer.default_warehouse_id
    return [(lv.variant.size_label, lv.on_hand, lv.reserved)
            for lv in sorted(rows, key=lambda lv: (lv.variant_id, lv.warehouse_id != default))]


def allocations(deal):
    """(size label, quantity, remaining, returned) per allocation row, in the order they were set aside."""
    return [(a.stock_level.variant.size_label, a.quantity, a.remaining, a.returned)
            for a in DealAllocation.objects.filter(deal=deal).select_related("stock_level__variant").order_by("pk")]


def assert_counters_add_up(variants):
    """Every stock row reserves exactly what deals set aside there plus what open order lines hold; no row
    reserves more than it has; every deal's units are what its allocation rows still set aside."""
    for level in StockLevel.objects.filter(variant__in=variants.values()):
        set_aside = DealAllocation.objects.filter(stock_level=level).aggregate(n=Sum("remaining"))["n"] or 0
        held = sum(line.quantity - line.refunded_quantity
                   for line in OrderLine.objects.filter(stock_level=level, reservation_released=False))
        assert (level.reserved, level.reserved <= level.on_hand) == (set_aside + held, True), level
    for deal in FlashDeal.objects.filter(lineup_item__product=next(iter(variants.values())).product):
        in_rows = DealAllocation.objects.filter(deal=deal).aggregate(n=Sum("remaining"))["n"] or 0
        assert deal.remaining == in_rows, deal


def deal_buyer(variant, deal, *, quantity=1):
    buyer = buyer_create()
    cart_line_add(buyer=buyer, variant_id=variant.pk, quantity=quantity, deal_id=deal.pk)
    return buyer, address_create(buyer)


@pytest.mark.django_db
def test_a_launch_spreads_its_cap_over_sizes_by_free_stock_and_sets_it_aside_per_warehouse():
    # Given sizes with 10 (6 + 4 in two warehouses), 6 and 4 free units, and one unit of size 42 in an order
    host, session, item, sizes = live_world({"41": [6, 4], "42": [7], "43": [4]})
    shopper = buyer_create()
    cart_line_add(buyer=shopper, variant_id=sizes["42"].pk, quantity=1)
    checkout(shopper, address_create(shopper), "before-the-deal")

    # When a deal of 10 is launched without sizes
    deal = launch(host, session, item, 10)

    # Then the 10 are spread 5/3/2 (in proportion to 10/6/4 free); size 41 from the default warehouse first
    assert allocations(deal) == [("41", 5, 5, 0), ("42", 3, 3, 0), ("43", 2, 2, 0)]
    assert stock_rows(sizes) == [("41", 6, 5), ("41", 4, 0), ("42", 7, 4), ("43", 4, 2)]
    assert (deal.quantity_cap, deal.remaining) == (10, 10)
    # and a second deal naming its sizes takes from what is still free, splitting across warehouses
    second = launch(host, session, item, 4, sizes={sizes["41"].sku: 3, sizes["43"].sku: 1})
    assert allocations(second) == [("41", 1, 1, 0), ("41", 2, 2, 0), ("43", 1, 1, 0)]
    assert stock_rows(sizes) == [("41", 6, 6), ("41", 4, 2), ("42", 7, 4), ("43", 4, 3)]
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_two_deals_on_one_product_cannot_promise_more_than_the_free_stock():
    host, session, item, sizes = live_world({"41": [30], "42": [20]})
    client = client_for(host.user)
    url = reverse("livestream:host-deal-launch", args=[session.pk])
    body = {"lineup_item": item.pk, "deal_price": "59.00", "per_buyer_limit": 1, "duration_minutes": 30}
    first = client.post(url, {**body, "quantity_cap": 30}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["sizes"] == [
        {"sku": sizes["41"].sku, "size_label": "41", "set_aside": 18, "remaining": 18, "returned": 0},
        {"sku": sizes["42"].sku, "size_label": "42", "set_aside": 12, "remaining": 12, "returned": 0}]

    # 20 are left free: a second deal of 21 is refused, and so is one asking 13 of size 41 (12 free)
    refused = client.post(url, {**body, "quantity_cap": 21}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "deal_stock_short"
    assert refused.json()["error"]["free_by_size"] == {sizes["41"].sku: 12, sizes["42"].sku: 8}
    by_size = client.post(url, {**body, "quantity_cap": 15, "sizes": [{"sku": sizes["41"].sku, "quantity": 13},
                                                                       {"sku": sizes["42"].sku, "quantity": 2}]},
                          format="json")
    assert by_size.status_code == 409
    assert by_size.json()["error"]["fields"] == {"sizes": {sizes["41"].sku: ["12 free."]}}
    mismatch = client.post(url, {**body, "quantity_cap": 5, "sizes": [{"sku": sizes["41"].sku, "quantity": 4}]},
                           format="json")
    assert mismatch.status_code == 400 and mismatch.json()["error"]["code"] == "deal_invalid"
    # Nothing of the refused launches was kept
    assert FlashDeal.objects.count() == 1 and DealAllocation.objects.count() == 2
    assert stock_rows(sizes) == [("41", 30, 18), ("42", 20, 12)]

    # Exactly what is free can still be set aside, and then nothing more
    assert client.post(url, {**body, "quantity_cap": 20}, format="json").status_code == 201
    assert stock_rows(sizes) == [("41", 30, 30), ("42", 20, 20)]
    with pytest.raises(DealStockShort):
        launch(host, session, item, 1)
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_an_ordinary_checkout_cannot_take_units_a_deal_set_aside():
    host, session, item, sizes = live_world({"41": [10]})
    variant = sizes["41"]
    deal = launch(host, session, item, 8)
    shopper = buyer_create()
    with pytest.raises(InsufficientStock):  # 2 are free; the deal's 8 are not for sale outside the deal
        cart_line_add(buyer=shopper, variant_id=variant.pk, quantity=3)
    cart_line_add(buyer=shopper, variant_id=variant.pk, quantity=2)
    late = buyer_create()
    cart_line_add(buyer=late, variant_id=variant.pk, quantity=1)
    assert checkout(shopper, address_create(shopper), "ordinary-1").order.lines.get().quantity == 2

    with pytest.raises(InsufficientStock):
        checkout(late, address_create(late), "ordinary-2")
    assert Order.objects.count() == 1
    assert stock_rows(sizes) == [("41", 10, 10)]
    # the deal's buyers still get all 8 units
    for i in range(8):
        checkout(*deal_buyer(variant, deal), f"deal-buyer-{i}")
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 0
    assert allocations(deal) == [("41", 8, 0, 0)]
    assert stock_rows(sizes) == [("41", 10, 10)]
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_a_deal_order_takes_its_units_from_the_deal_and_leaves_free_stock_alone():
    host, session, item, sizes = live_world({"41": [2, 3], "42": [5]})
    deal = launch(host, session, item, 4, sizes={sizes["41"].sku: 4}, per_buyer_limit=3)
    buyer, address = deal_buyer(sizes["41"], deal, quantity=3)

    order = checkout(buyer, address, "split-deal-1").order

    # Two units from the default warehouse's row and one from the other, both set aside before: the rows'
    # reserved counts do not move, the deal's allocation rows do
    default = sizes["41"].product.manufacturer.default_warehouse_id
    assert sorted((line.stock_level.warehouse_id == default, line.quantity) for line in order.lines.all()) == [
        (False, 1), (True, 2)]
    assert stock_rows(sizes) == [("41", 2, 2), ("41", 3, 2), ("42", 5, 0)]
    assert allocations(deal) == [("41", 2, 0, 0), ("41", 2, 1, 0)]
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 1
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_a_sold_out_size_is_refused_at_the_gate_while_other_sizes_sell():
    host, session, item, sizes = live_world({"41": [5], "42": [5]})
    deal = launch(host, session, item, 3, sizes={sizes["41"].sku: 1, sizes["42"].sku: 2})
    clients = [client_for(buyer_create()) for _ in range(3)]
    url = reverse("livestream:deal-claim", args=[deal.pk])

    def claim(client, size, key):
        return client.post(url, {"sku": sizes[size].sku, "quantity": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert claim(clients[0], "41", "size-claim-0").status_code == 201
    refused = claim(clients[1], "41", "size-claim-1")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "deal_size_sold_out"
    assert claim(clients[1], "42", "size-claim-2").status_code == 201
    assert DealClaim.objects.count() == 2
    assert gate.size_counts(deal_id=deal.pk) == (1, {sizes["41"].pk: 0, sizes["42"].pk: 1})
    state = clients[2].get(reverse("livestream:session-state", args=[session.pk])).json()
    assert state["deals"][0]["remaining"] == 1
    assert state["deals"][0]["sizes"] == [{"sku": sizes["41"].sku, "size_label": "41", "remaining": 0},
                                          {"sku": sizes["42"].sku, "size_label": "42", "remaining": 1}]

    # A deal line of the sold-out size checked out without a claim is refused at the gate; nothing is held
    buyer = buyer_create()
    with pytest.raises(DealSizeSoldOut):
        services.deal_take(deal_id=deal.pk, buyer_id=buyer.pk, variant_id=sizes["41"].pk, quantity=1,
                           product_id=item.product_id, admissions=services.GateAdmissions())
    assert gate.size_counts(deal_id=deal.pk) == (1, {sizes["41"].pk: 0, sizes["42"].pk: 1})
    assert gate.counts(deal_id=deal.pk)[1].get(buyer.pk) is None
    assert stock_rows(sizes) == [("41", 5, 1), ("42", 5, 2)]


@pytest.mark.django_db
def test_without_the_gate_a_sold_out_size_is_refused_by_the_database(gate_away):
    host, session, item, sizes = live_world({"41": [5], "42": [5]})
    deal = launch(host, session, item, 2, sizes={sizes["41"].sku: 1, sizes["42"].sku: 1})
    claim_for(buyer_create(), deal, sizes["41"])
    with pytest.raises(DealSizeSoldOut):
        claim_for(buyer_create(), deal, sizes["41"])
    claim_for(buyer_create(), deal, sizes["42"])
    with pytest.raises(DealSoldOut):
        claim_for(buyer_create(), deal, sizes["42"])
    assert DealClaim.objects.count() == 2 and stock_rows(sizes) == [("41", 5, 1), ("42", 5, 1)]


@pytest.mark.django_db
def test_the_gate_is_seeded_and_reconciled_with_its_sizes():
    host, session, item, sizes = live_world({"41": [5], "42": [5]})
    deal = launch(host, session, item, 4, sizes={sizes["41"].sku: 2, sizes["42"].sku: 2})
    claim_for(buyer_create(), deal, sizes["41"])
    gate._client().flushdb()  # Redis restarted without persistence

    claim_for(buyer_create(), deal, sizes["42"])  # the next claim seeds the gate from PostgreSQL
    assert gate.size_counts(deal_id=deal.pk) == (2, {sizes["41"].pk: 1, sizes["42"].pk: 1})

    gate._client().hset(gate._keys(deal.pk)[0], f"size:{sizes['41'].pk}", 9)  # a size's count drifted
    assert services.deal_gate_reconcile() == 1
    assert gate.size_counts(deal_id=deal.pk) == (2, {sizes["41"].pk: 1, sizes["42"].pk: 1})
    assert services.deal_gate_reconcile() == 0


@pytest.mark.django_db
def test_units_left_come_back_to_free_stock_exactly_once_when_the_host_ends_the_deal(
        django_capture_on_commit_callbacks):
    # Given a deal of 5 with 2 units ordered and 1 held by a claim that may still be ordered
    host, session, item, sizes = live_world({"41": [10]})
    variant = sizes["41"]
    deal = launch(host, session, item, 5)
    orders = [checkout(*deal_buyer(variant, deal), f"end-order-{i}").order for i in range(2)]
    claimant = buyer_create()
    held = claim_for(claimant, deal, variant).claim
    assert stock_rows(sizes) == [("41", 10, 5)]

    # When the host ends the deal
    with django_capture_on_commit_callbacks(execute=True):
        client_for(host.user).post(reverse("livestream:host-deal-end", args=[deal.pk]))

    # Then the 2 units in no order and held by no claim are free again; the claim's unit stays set aside
    assert allocations(deal) == [("41", 5, 1, 2)]
    assert stock_rows(sizes) == [("41", 10, 3)]
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 1
    assert services.deals_settle_due() == 0  # a repeat gives nothing twice
    assert stock_rows(sizes) == [("41", 10, 3)]

    # The claim made while the deal ran is still ordered from the deal's units
    claimant_address = address_create(claimant)
    cart_line_add(buyer=claimant, variant_id=variant.pk, quantity=1, claim_id=held.pk)
    checkout(claimant, claimant_address, "end-claim-order")
    assert allocations(deal) == [("41", 5, 0, 2)] and stock_rows(sizes) == [("41", 10, 3)]

    # An unpaid order that expires after the end gives its unit to free stock, not to the ended deal
    Order.objects.filter(pk=orders[0].pk).update(reservation_expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert lifecycle.orders_expire_due() == 1
    assert allocations(deal) == [("41", 5, 0, 2)] and stock_rows(sizes) == [("41", 10, 2)]
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 0
    assert services.deals_settle_due() == 0
    assert stock_rows(sizes) == [("41", 10, 2)]
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_a_claim_kept_at_the_end_gives_its_unit_back_once_it_expires():
    host, session, item, sizes = live_world({"41": [4], "42": [4]})
    deal = launch(host, session, item, 4)
    claim = claim_for(buyer_create(), deal, sizes["42"]).claim
    services.deal_end(host=host, deal_id=deal.pk)
    assert allocations(deal) == [("41", 2, 0, 2), ("42", 2, 1, 1)]
    assert stock_rows(sizes) == [("41", 4, 0), ("42", 4, 1)]

    later = claim.expires_at + dt.timedelta(seconds=1)
    assert services.claims_expire_due(now=later) == 1
    assert services.deals_settle_due(now=later) == 1
    assert services.deals_settle_due(now=later) == 0
    assert allocations(deal) == [("41", 2, 0, 2), ("42", 2, 0, 2)]
    assert stock_rows(sizes) == [("41", 4, 0), ("42", 4, 0)]
    assert DealClaim.objects.get(pk=claim.pk).status == ClaimStatus.EXPIRED
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_an_expired_deal_order_goes_back_to_the_deal_while_it_runs_and_the_window_end_returns_it_once():
    host, session, item, sizes = live_world({"41": [6]})
    variant = sizes["41"]
    deal = launch(host, session, item, 3)
    order = checkout(*deal_buyer(variant, deal), "runs-order-1").order
    assert allocations(deal) == [("41", 3, 2, 0)] and stock_rows(sizes) == [("41", 6, 3)]

    Order.objects.filter(pk=order.pk).update(reservation_expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert lifecycle.orders_expire_due() == 1
    # Back to the deal, still set aside: the stock row does not move
    assert Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED
    assert allocations(deal) == [("41", 3, 3, 0)] and stock_rows(sizes) == [("41", 6, 3)]
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 3

    # Nothing comes back while the deal runs; once its window has passed, the beat returns all 3, once
    assert tasks.deals_settle() == 0
    FlashDeal.objects.filter(pk=deal.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1),
                                                ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert tasks.deals_settle() == 3
    assert tasks.deals_settle() == 0
    assert allocations(deal) == [("41", 3, 0, 3)] and stock_rows(sizes) == [("41", 6, 0)]
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_ending_the_session_ends_its_deals_and_returns_their_units(django_capture_on_commit_callbacks):
    host, session, item, sizes = live_world({"41": [5], "42": [5]})
    running = launch(host, session, item, 4)
    announced = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk,
                                     deal_price=Decimal("55.00"), quantity_cap=2, per_buyer_limit=1,
                                     duration_minutes=10, starts_at=timezone.now() + dt.timedelta(minutes=5))
    checkout(*deal_buyer(sizes["41"], running), "session-end-1")
    assert stock_rows(sizes) == [("41", 5, 3), ("42", 5, 3)]

    with django_capture_on_commit_callbacks(execute=True):  # the gate refuses claims from now on
        services.session_end(host=host, session_id=session.pk)

    assert allocations(running) == [("41", 2, 0, 1), ("42", 2, 0, 2)]
    assert allocations(announced) == [("41", 1, 0, 1), ("42", 1, 0, 1)]
    assert stock_rows(sizes) == [("41", 5, 1), ("42", 5, 0)]
    assert gate.take(deal_id=running.pk, buyer_id=1, variant_id=sizes["42"].pk, quantity=1,
                     now=timezone.now()).outcome == "ended"
    assert_counters_add_up(sizes)


@pytest.mark.django_db(transaction=True)
def test_two_deals_and_ordinary_buyers_racing_on_one_product_oversell_nothing():
    # Given one product in two sizes (41: 6 + 4 in two warehouses, 42: 5), a deal of 6 spread by free
    # stock (4 of 41, 2 of 42), a deal of 5 naming its sizes (3 of 41, 2 of 42): 4 units stay free (3 and 1)
    host, session, item, sizes = live_world({"41": [6, 4], "42": [5]})
    spread = launch(host, session, item, 6)
    named = launch(host, session, item, 5, sizes={sizes["41"].sku: 3, sizes["42"].sku: 2})
    assert stock_rows(sizes) == [("41", 6, 6), ("41", 4, 1), ("42", 5, 4)]
    wants = ["41", "42"] * 7

    def claim_then_checkout(buyer, address, size):
        claim = claim_for(buyer, spread, sizes[size], idempotency_key=f"race-claim-{buyer.pk}").claim
        cart_line_add(buyer=buyer, variant_id=sizes[size].pk, quantity=1, claim_id=claim.pk)
        return checkout(buyer, address, f"race-claim-order-{buyer.pk}").order

    jobs, ordinary = [], []
    for size in wants:  # 14 buyers claim from the first deal, then check out
        buyer = buyer_create()
        address = address_create(buyer)
        jobs.append(lambda b=buyer, a=address, s=size: claim_then_checkout(b, a, s))
    for i, size in enumerate(wants[:10]):  # 10 check out the second deal's line straight from the cart
        buyer, address = deal_buyer(sizes[size], named)
        jobs.append(lambda b=buyer, a=address, i=i: checkout(b, a, f"race-named-{i}").order)
    for i, size in enumerate(wants[:8]):  # 8 buy at the list price from free stock
        buyer = buyer_create()
        address = address_create(buyer)
        cart_line_add(buyer=buyer, variant_id=sizes[size].pk, quantity=1)
        ordinary.append(buyer.pk)
        jobs.append(lambda b=buyer, a=address, i=i: checkout(b, a, f"race-ordinary-{i}").order)

    # When they all go at once
    results = race(jobs)

    # Then every refusal is a clean sold-out, and nobody got more than there was
    refusals = Counter(type(value).__name__ for kind, value in results if kind == "error")
    assert set(refusals) <= {"DealSoldOut", "DealSizeSoldOut", "InsufficientStock"}, results
    lines = OrderLine.objects.all()
    sold = Counter((line.deal_id, line.variant.size_label) for line in lines)
    assert sold[(spread.pk, "41")] <= 4 and sold[(spread.pk, "42")] <= 2
    assert sold[(named.pk, "41")] <= 3 and sold[(named.pk, "42")] <= 2
    assert sold[(None, "41")] <= 3 and sold[(None, "42")] <= 1
    assert Counter(kind for kind, _ in results[-8:])["ok"] == sold[(None, "41")] + sold[(None, "42")]
    assert set(Order.objects.filter(lines__deal__isnull=True).values_list("buyer_id", flat=True)) <= set(ordinary)
    # the deal with 14 claimers for its 6 units sold out (every size), and no claim is left unordered
    assert sold[(spread.pk, "41")] + sold[(spread.pk, "42")] == 6
    assert not DealClaim.objects.filter(status=ClaimStatus.ACTIVE).exists()
    assert_counters_add_up(sizes)

    # And once both deals end, exactly the units in orders stay reserved
    for deal in (spread, named):
        services.deal_end(host=host, deal_id=deal.pk)
    assert services.deals_settle_due() == 0
    assert [on_hand for _, on_hand, _ in stock_rows(sizes)] == [6, 4, 5]
    for level in StockLevel.objects.filter(variant__in=sizes.values()):
        assert level.reserved == sum(lines.filter(stock_level=level).values_list("quantity", flat=True))
    for allocation in DealAllocation.objects.all():
        ordered = sum(lines.filter(deal=allocation.deal, stock_level=allocation.stock_level).values_list(
            "quantity", flat=True))
        assert (allocation.remaining, allocation.quantity) == (0, ordered + allocation.returned)
    assert_counters_add_up(sizes)


@pytest.mark.django_db
def test_deals_running_when_ring_fencing_came_set_their_units_aside(migrator_module):
    host, session, item, sizes = live_world({"41": [4], "42": [2]})
    deal = launch(host, session, item, 5)
    ended = launch(host, session, item, 1)
    # As the deals were before allocation rows: nothing set aside, a unit of the first deal already sold
    for row in DealAllocation.objects.all():
        StockLevel.objects.filter(pk=row.stock_level_id).update(reserved=0)
    DealAllocation.objects.all().delete()
    FlashDeal.objects.filter(pk=deal.pk).update(remaining=4)
    FlashDeal.objects.filter(pk=ended.pk).update(ended_early_at=timezone.now())
    StockLevel.objects.filter(variant=sizes["42"]).update(reserved=1)  # an ordinary order holds one

    migrator_module.ring_fence_current_deals(django_apps, None)

    # The running deal's 4 units are set aside by free stock (4 and 1 free: 3 and 1), the ended deal's none
    assert allocations(deal) == [("41", 3, 3, 0), ("42", 1, 1, 0)]
    assert allocations(ended) == []
    assert stock_rows(sizes) == [("41", 4, 3), ("42", 2, 2)]
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 4


@pytest.fixture
def migrator_module():
    return importlib.import_module("livestream.migrations.0007_deal_allocations")


def test_the_session_state_lists_units_per_size(db):
    host, session, item, sizes = live_world({"41": [3], "42": [3]})
    deal = launch(host, session, item, 2)
    state = selectors.session_state(session_id=session.pk)
    assert [(d["id"], d["remaining"], [(s["size_label"], s["remaining"]) for s in d["sizes"]])
            for d in state["deals"]] == [(deal.pk, 2, [("41", 1), ("42", 1)])]
