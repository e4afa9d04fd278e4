"""Flash sales in the storefront: an operator puts a product on a timed deal outside any live session; buyers
see it with its units and countdown, claim through the same gate as a live deal and check out normally."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from livestream import gate
from livestream.models import DealAllocation, DealClaim, FlashDeal
from orders.models import OrderLine
from shop.models import StockLevel
from tests.accounts.factories import address_create, buyer_create, client_for
from tests.livestream.factories import checkout, live_deal_create
from tests.shop.factories import FxRateFactory, UserFactory, priced_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("customs_rules")]

LAUNCH = reverse("livestream:operator-flash-sale-list")
SALES = reverse("livestream:flash-sale-list")


@pytest.fixture
def boot():
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=dt.date(2026, 11, 20))
    return priced_variant(amount="100.00", stock=50, product__name="Chelsea Boot")


@pytest.fixture
def operator():
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    return client


def launch(operator, variant, **changes):
    body = {"product": variant.product.slug, "currency": "USD", "deal_price": "59.00", "quantity_cap": 5,
            "per_buyer_limit": 1, "duration_minutes": 120, **changes}
    return operator.post(LAUNCH, body, format="json")


def claim(client, sale_id, sku, key):
    return client.post(reverse("livestream:deal-claim", args=[sale_id]), {"sku": sku, "quantity": 1}, format="json",
                       HTTP_IDEMPOTENCY_KEY=key)


def reserved(variant) -> int:
    return StockLevel.objects.get(variant=variant).reserved


def test_an_operator_puts_a_product_on_sale_and_a_buyer_claims_and_orders_it(boot, operator):
    launched = launch(operator, boot)
    assert launched.status_code == 201, launched.json()
    sale = launched.json()
    assert (sale["product"], sale["session"], sale["lineup_item"]) == (boot.product.slug, None, None)
    assert (sale["deal_price"], sale["currency"], sale["quantity_cap"]) == ("59.00", "USD", 5)
    assert [(s["sku"], s["set_aside"]) for s in sale["sizes"]] == [(boot.sku, 5)]
    assert reserved(boot) == 5  # ring-fenced from free stock at launch

    listed = APIClient().get(SALES).json()
    assert [(s["id"], s["remaining"], s["held"], s["sold"], s["sold_out"]) for s in listed["sales"]] == [
        (sale["id"], 5, 0, 0, False)]
    assert listed["upcoming"] == [] and "server_time" in listed

    buyer = buyer_create()
    address = address_create(buyer)
    client = client_for(buyer)
    claimed = claim(client, sale["id"], boot.sku, "sale-claim-0001")
    assert claimed.status_code == 201, claimed.json()
    assert claim(client, sale["id"], boot.sku, "sale-claim-0002").json()["error"]["code"] == "deal_limit_reached"
    added = client.post(reverse("orders:cart-line-list"),
                        {"variant": boot.sku, "quantity": 1, "claim": claimed.json()["id"]}, format="json")
    assert added.status_code == 201, added.json()
    assert added.json()["lines"][0]["unit_price"] == {"amount": "50.74", "currency": "EUR"}  # 59 USD at 0.86
    order = checkout(buyer, address, "sale-order-0001").order

    line = OrderLine.objects.get(order=order)
    assert (line.deal_id, line.quantity, line.host_commission_rate) == (sale["id"], 1, Decimal(0))  # no host
    assert FlashDeal.objects.get(pk=sale["id"]).remaining == 4
    assert gate.counts(deal_id=sale["id"]) == (4, {buyer.pk: 1})
    assert reserved(boot) == 5  # 4 still set aside, 1 reserved for the order
    listed = APIClient().get(SALES).json()["sales"][0]
    assert (listed["remaining"], listed["sold"]) == (4, 1)


def test_an_announced_sale_counts_down_and_refuses_claims_before_its_start(boot, operator):
    starts = timezone.now() + dt.timedelta(minutes=30)
    sale = launch(operator, boot, starts_at=starts.isoformat()).json()
    listed = APIClient().get(SALES, {"product": boot.product.slug}).json()
    assert listed["sales"] == []
    assert [(u["id"], u["units"], u["starts_at"]) for u in listed["upcoming"]] == [
        (sale["id"], 5, starts.isoformat())]
    early = claim(client_for(buyer_create()), sale["id"], boot.sku, "too-early-0001")
    assert early.status_code == 409 and early.json()["error"]["code"] == "deal_not_active"
    assert not DealClaim.objects.filter(deal_id=sale["id"]).exists()


def test_the_product_filter_lists_only_that_products_sales(boot, operator):
    other = priced_variant(amount="80.00", stock=10, product__name="Runner")
    launch(operator, boot)
    launch(operator, other, deal_price="40.00", quantity_cap=2)
    only = APIClient().get(SALES, {"product": other.product.slug}).json()["sales"]
    assert [s["product"] for s in only] == [other.product.slug]
    assert APIClient().get(SALES, {"product": "no-such-shoe"}).json()["sales"] == []


def test_ending_a_sale_early_gives_its_units_back_and_refuses_claims(boot, operator):
    sale = launch(operator, boot).json()
    ended = operator.post(reverse("livestream:operator-flash-sale-end", args=[sale["id"]]))
    assert ended.status_code == 200 and ended.json()["ended_early_at"] is not None
    assert reserved(boot) == 0
    assert DealAllocation.objects.get(deal_id=sale["id"]).returned == 5
    assert APIClient().get(SALES).json()["sales"] == []
    late = claim(client_for(buyer_create()), sale["id"], boot.sku, "too-late-0001")
    assert late.status_code == 409 and late.json()["error"]["code"] == "deal_not_active"
    again = operator.post(reverse("livestream:operator-flash-sale-end", args=[sale["id"]]))
    assert again.status_code == 409 and again.json()["error"]["code"] == "deal_not_active"
    assert reserved(boot) == 0  # nothing given back twice


@pytest.mark.parametrize("changes,status,code,field", [
    ({"product": "no-such-shoe"}, 404, "not_found", "product"),
    ({"deal_price": "100.01"}, 400, "deal_invalid", "deal_price"),  # above the list price
    ({"deal_price": "0"}, 400, "deal_invalid", "deal_price"),
    ({"currency": "JPY"}, 400, "deal_invalid", "currency"),  # no price in that currency
    ({"quantity_cap": 51}, 409, "deal_stock_short", "quantity_cap"),
    ({"duration_minutes": 0}, 400, "invalid", "duration_minutes"),
    ({"duration_minutes": 20_161}, 400, "invalid", "duration_minutes"),
    ({"starts_at": "2020-01-01T00:00:00Z"}, 400, "deal_invalid", "starts_at"),
])
def test_a_bad_sale_is_refused_with_nothing_set_aside(boot, operator, changes, status, code, field):
    refused = launch(operator, boot, **changes)
    assert refused.status_code == status, refused.json()
    assert refused.json()["error"]["code"] == code
    assert field in refused.json()["error"]["fields"]
    assert not FlashDeal.objects.exists() and reserved(boot) == 0


def test_only_operators_launch_and_end_sales(operator):
    host, _session, boot, live_deal = live_deal_create()
    sale = launch(operator, boot).json()
    for who in (client_for(buyer_create()), client_for(host.user), client_for(UserFactory(is_staff=False))):
        assert launch(who, boot).status_code == 403
        assert who.post(reverse("livestream:operator-flash-sale-end", args=[sale["id"]])).status_code == 403
    # A host cannot end a storefront sale through the host API either: not one of their deals.
    refused = client_for(host.user).post(reverse("livestream:host-deal-end", args=[sale["id"]]))
    assert refused.status_code == 404
    assert FlashDeal.objects.get(pk=sale["id"]).ended_early_at is None
    # And the operator's end does not reach a live session's deal: that is the host's.
    missing = operator.post(reverse("livestream:operator-flash-sale-end", args=[live_deal.pk]))
    assert missing.status_code == 404
    assert FlashDeal.objects.get(pk=live_deal.pk).ended_early_at is None
