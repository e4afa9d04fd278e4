"""Selecting fair, running a session and flash deals bought through the normal checkout."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from livestream import services
from livestream.errors import DealLimitReached, DealNotActive, DealSoldOut
from livestream.models import FlashDeal, Host, LineupItem, LiveSession
from orders.models import Order, OrderStatus
from orders.services import lifecycle
from orders.services.cart import cart_line_add
from shop.models import StockLevel
from tests.accounts.factories import address_create, buyer_create
from tests.helpers import race
from tests.livestream.factories import approved_item, buyer_with_deal_cart, checkout, live_deal_create, make_world
from tests.shop.factories import UserFactory, priced_variant


@pytest.fixture
def live_deal(db):
    return live_deal_create()


@pytest.mark.django_db
def test_host_runs_a_session_through_the_api_and_a_buyer_orders_from_the_deal(customs_rules):
    host, session, variant = make_world()
    client = APIClient()
    client.force_authenticate(host.user)
    response = client.post(reverse("livestream:host-lineup", args=[session.pk]), {
        "product": variant.product.slug, "price": "95.00", "currency": "USD", "commission_rate": "0.12",
        "quantity": 200}, format="json")
    assert response.status_code == 201, response.json()
    item_id = response.json()["id"]
    services.lineup_decide(manufacturer_id=variant.product.manufacturer_id, item_id=item_id, action="counter",
                           counter_price=Decimal("92.00"), counter_commission_rate=Decimal("0.10"))
    assert client.post(reverse("livestream:host-lineup-accept", args=[item_id])).json()["agreed_price"] == "92.00"
    assert client.post(reverse("livestream:host-go-live", args=[session.pk])).json()["status"] == "live"
    assert client.post(reverse("livestream:host-pin", args=[session.pk]), {"lineup_item": item_id},
                       format="json").status_code == 201
    response = client.post(reverse("livestream:host-deal-launch", args=[session.pk]), {
        "lineup_item": item_id, "deal_price": "69.00", "quantity_cap": 10, "per_buyer_limit": 2,
        "duration_minutes": 15}, format="json")
    assert response.status_code == 201, response.json()
    deal_id = response.json()["id"]

    buyer = buyer_create()
    address = address_create(buyer)
    buyer_client = APIClient()
    buyer_client.force_authenticate(buyer)
    cart = buyer_client.post(reverse("orders:cart-line-list"), {"variant": variant.sku, "quantity": 2,
                                                                 "deal": deal_id}, format="json").json()
    assert cart["lines"][0]["unit_price"] == {"amount": "59.34", "currency": "EUR"}  # 69 USD x 0.86
    order = checkout(buyer, address, "deal-order-1").order
    line = order.lines.get()
    assert (line.deal_id, line.host_commission_rate, line.unit_price) == (deal_id, Decimal("0.1000"),
                                                                          Decimal("59.340"))
    assert FlashDeal.objects.get(pk=deal_id).remaining == 8
    assert client.post(reverse("livestream:host-deal-end", args=[deal_id])).status_code == 200
    assert client.post(reverse("livestream:host-end", args=[session.pk])).json()["status"] == "ended"


@pytest.mark.django_db
def test_bad_deals_and_other_hosts_are_refused_without_changes(live_deal):
    host, session, variant, deal = live_deal
    item = deal.lineup_item
    client = APIClient()
    client.force_authenticate(host.user)
    url = reverse("livestream:host-deal-launch", args=[session.pk])
    base = {"lineup_item": item.pk, "deal_price": "50.00", "quantity_cap": 5, "duration_minutes": 10}
    for changes, field in (({"deal_price": "95.00"}, "deal_price"), ({"deal_price": "-1"}, "deal_price")):
        response = client.post(url, {**base, **changes}, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    # More than the free stock: the 5 units the running deal set aside are not free.
    response = client.post(url, {**base, "quantity_cap": 46}, format="json")
    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert (error["code"], error["free_by_size"]) == ("deal_stock_short", {variant.sku: 45})
    other_product = priced_variant(stock=5).product
    pending = services.lineup_request(host=host, session_id=session.pk, product_id=other_product.pk,
                                      price=Decimal("10"), currency="USD", commission_rate=Decimal("0.1"), quantity=1)
    response = client.post(url, {**base, "lineup_item": pending.pk}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "deal_invalid"
    intruder = Host.objects.create(user=UserFactory(), handle="max", display_name="Max")
    other = APIClient()
    other.force_authenticate(intruder.user)
    assert other.post(url, base, format="json").status_code == 404
    assert other.post(reverse("livestream:host-deal-end", args=[deal.pk])).status_code == 404
    buyer = APIClient()
    buyer.force_authenticate(buyer_create())
    assert buyer.post(url, base, format="json").status_code == 403
    assert FlashDeal.objects.count() == 1
    assert StockLevel.objects.filter(variant=variant).values_list("on_hand", "reserved").get() == (50, 5)


@pytest.mark.django_db(transaction=True)
def test_a_deal_never_sells_more_than_its_cap(customs_rules):
    host, session, variant = make_world()
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)
    deal = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("59"),
                                quantity_cap=5, per_buyer_limit=1, duration_minutes=30)
    buyers = [buyer_with_deal_cart(variant, deal) for _ in range(15)]
    results = race([(lambda b=b, a=a: checkout(b, a, f"cap-{b.pk}-key")) for b, a in buyers])
    outcomes = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in results)
    assert outcomes == {"ok": 5, "DealSoldOut": 10}
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 0
    assert StockLevel.objects.get(variant=variant).reserved == 5


@pytest.mark.django_db(transaction=True)
def test_one_buyer_cannot_beat_the_per_buyer_limit_with_parallel_requests(customs_rules):
    host, session, variant = make_world()
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)
    deal = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("59"),
                                quantity_cap=20, per_buyer_limit=1, duration_minutes=30)
    buyer, address = buyer_with_deal_cart(variant, deal)
    results = race([(lambda i=i: checkout(buyer, address, f"parallel-{i}-key")) for i in range(5)])
    kinds = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in results)
    assert kinds["ok"] == 1, results
    assert Order.objects.filter(buyer=buyer).count() == 1
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 19


@pytest.mark.django_db
def test_expired_deal_orders_return_units_to_the_running_deal(live_deal, customs_rules,
                                                               django_capture_on_commit_callbacks):
    _host, _session, variant, deal = live_deal
    buyer, address = buyer_with_deal_cart(variant, deal)
    order = checkout(buyer, address, "expire-deal-1").order
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 4
    Order.objects.filter(pk=order.pk).update(reservation_expires_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):  # the claim gate gets the unit back after commit
        assert lifecycle.orders_expire_due() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 5
    # The buyer's allowance came back too: they may buy again.
    cart_line_add(buyer=buyer, variant_id=variant.pk, quantity=1, deal_id=deal.pk)
    assert checkout(buyer, address, "expire-deal-2").order.status == OrderStatus.PENDING_PAYMENT


@pytest.mark.django_db
def test_a_deal_ends_by_itself_on_the_server_clock(live_deal, customs_rules):
    _host, _session, variant, deal = live_deal
    buyer, address = buyer_with_deal_cart(variant, deal)
    FlashDeal.objects.filter(pk=deal.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1),
                                                ends_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DealNotActive):
        checkout(buyer, address, "late-deal-1")
    assert not Order.objects.exists()
    # The deal's 5 units stay set aside until the settling beat gives them back, once.
    assert StockLevel.objects.get(variant=variant).reserved == 5
    assert services.deals_settle_due() == 5
    assert services.deals_settle_due() == 0
    assert StockLevel.objects.get(variant=variant).reserved == 0


@pytest.mark.django_db
def test_deal_take_refusals_are_clear(live_deal):
    _host, _session, variant, deal = live_deal
    buyer = buyer_create()
    with pytest.raises(DealLimitReached):
        services.deal_take(deal_id=deal.pk, buyer_id=buyer.pk, variant_id=variant.pk, quantity=2,
                           product_id=variant.product_id, admissions=services.GateAdmissions())
    FlashDeal.objects.filter(pk=deal.pk).update(remaining=0)
    with pytest.raises(DealSoldOut):
        services.deal_take(deal_id=deal.pk, buyer_id=buyer.pk, variant_id=variant.pk, quantity=1,
                           product_id=variant.product_id, admissions=services.GateAdmissions())


@pytest.mark.django_db
def test_manufacturer_sees_and_decides_only_its_own_lineup_requests(client, live_deal):
    from tests.shop.factories import MembershipFactory

    host, session, variant, _deal = live_deal
    other = priced_variant(stock=5)
    theirs = services.lineup_request(host=host, session_id=session.pk, product_id=other.product_id,
                                     price=Decimal("10"), currency="USD", commission_rate=Decimal("0.1"), quantity=1)
    staff = MembershipFactory(manufacturer=variant.product.manufacturer)
    client.force_login(staff.user)
    listed = client.get(reverse("admin:livestream_lineupitem_changelist")).context["cl"].result_list
    assert [item.product_id for item in listed] == [variant.product_id]
    client.post(reverse("admin:livestream_lineupitem_changelist"), {"action": "approve",
                                                                     "_selected_action": [theirs.pk]})
    assert LineupItem.objects.get(pk=theirs.pk).status == "requested"
    assert LiveSession.objects.get(pk=session.pk).status == "live"


@pytest.mark.django_db
def test_a_decided_lineup_item_is_read_only_in_the_admin_and_a_counter_names_both_terms(client, live_deal):
    from tests.shop.factories import MembershipFactory

    host, session, variant, deal = live_deal
    staff = MembershipFactory(manufacturer=variant.product.manufacturer)
    client.force_login(staff.user)
    approved = deal.lineup_item
    url = reverse("admin:livestream_lineupitem_change", args=[approved.pk])
    assert client.get(url).status_code == 200  # shown, read-only
    response = client.post(url, {"counter_price": "50.00", "counter_commission_rate": "0.05"})
    assert response.status_code == 403
    assert LineupItem.objects.get(pk=approved.pk).status == "approved"

    other = priced_variant(stock=5, product__manufacturer=variant.product.manufacturer)
    open_item = services.lineup_request(host=host, session_id=session.pk, product_id=other.product_id,
                                        price=Decimal("10"), currency="USD", commission_rate=Decimal("0.1"),
                                        quantity=1)
    url = reverse("admin:livestream_lineupitem_change", args=[open_item.pk])
    response = client.post(url, {"counter_price": "9.00"})
    assert response.status_code == 200
    assert "counter_commission_rate" in response.context["adminform"].form.errors
    assert LineupItem.objects.get(pk=open_item.pk).status == "requested"
    response = client.post(url, {"counter_price": "9.00", "counter_commission_rate": "0.08"})
    assert response.status_code == 302
    item = LineupItem.objects.get(pk=open_item.pk)
    assert (item.status, item.counter_price, item.counter_commission_rate) == ("countered", Decimal("9.00"),
                                                                               Decimal("0.0800"))


@pytest.mark.django_db
def test_session_state_polling_with_etag(live_deal, api_client):
    host, session, variant, deal = live_deal
    services.product_pin(host=host, session_id=session.pk, lineup_item_id=deal.lineup_item_id)
    url = reverse("livestream:session-state", args=[session.pk])
    first = api_client.get(url)
    body = first.json()
    assert body["status"] == "live" and body["pinned"]["product"] == variant.product.slug
    assert [(d["id"], d["remaining"], d["price"]) for d in body["deals"]] == [
        (deal.pk, 5, {"amount": "59.00", "currency": "USD"})]
    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    FlashDeal.objects.filter(pk=deal.pk).update(remaining=4)
    changed = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["deals"][0]["remaining"] == 4
    assert api_client.get(reverse("livestream:session-state", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_manufacturer_sees_its_sales_per_live_session_in_the_admin(client, live_deal, customs_rules):
    from tests.shop.factories import MembershipFactory

    _host, session, variant, deal = live_deal
    buyer, address = buyer_with_deal_cart(variant, deal)
    checkout(buyer, address, "admin-sales-1")
    staff = MembershipFactory(manufacturer=variant.product.manufacturer)
    client.force_login(staff.user)
    response = client.get(reverse("admin:orders_orderline_changelist"), {"deal__session__id__exact": session.pk})
    rows = list(response.context["cl"].result_list)
    assert [(r.sku, r.deal.session_id) for r in rows] == [(variant.sku, session.pk)]
    outsider = MembershipFactory()
    client.force_login(outsider.user)
    response = client.get(reverse("admin:orders_orderline_changelist"), {"deal__session__id__exact": session.pk})
    assert list(response.context["cl"].result_list) == []


