"""Two deals race for one product's stock over the served stack: a host launches a live deal while an operator
puts the same product on a storefront flash sale, then buyers storm both deals while others try to buy the
product at its list price. The app runs as in production: gunicorn with uvicorn workers (claims answered in
front of Django, the rest on Django's threads), a Celery worker, Redis.

What it must do: the two launches together never set aside more than the free stock (the second to commit
is refused with what is free); each deal sells exactly its cap and no buyer more than the limit; the list-price
buyers get nothing once every unit is set aside; and the books agree: orders, deals, allocation rows and the
stock row, nothing oversold.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from livestream import services
from livestream.models import DealAllocation, DealClaim, DealPurchase, FlashDeal
from orders.models import OrderLine
from shop.models import StockLevel
from tests.accounts.factories import address_create, buyer_create
from tests.faults.client import Replies, assert_clean, request
from tests.livestream.factories import approved_item, make_world
from tests.shop.factories import UserFactory, priced_variant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

STOCK = 30
FIRST_CAP = 20  # each launcher asks for 20 of the 30 units: only one of them can have them
BUYERS, LIST_PRICE_BUYERS = 26, 6
PATIENCE = 8  # seconds: an answer slower than this is a hang


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {AccessToken.for_user(user)}"}


def test_two_deals_racing_for_one_products_stock_oversell_nothing(launch):
    # Given a product with 30 units, a host live in a session with it in the lineup, and an operator
    variant = priced_variant(amount="100.00", stock=STOCK)
    host, session, variant = make_world(variant)
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)
    host_auth, operator_auth = bearer(host.user), bearer(UserFactory(is_staff=True))
    people = []
    for _ in range(BUYERS + LIST_PRICE_BUYERS):
        buyer = buyer_create()
        people.append((buyer, address_create(buyer), bearer(buyer)))
    broker = launch.redis()
    worker = launch.worker("worker", broker_url=broker.url, wait=False)
    web, web_url = launch.web(broker_url=broker.url, wait=False)
    worker.wait_ready(), web.wait_ready()
    replies = Replies()

    def live_deal(cap: int):
        return request(web_url, "POST", f"/api/v1/host/sessions/{session.pk}/deals/", label="launch:live",
                       replies=replies, headers=host_auth, body={
                           "lineup_item": item.pk, "deal_price": "59.00", "quantity_cap": cap, "per_buyer_limit": 1,
                           "duration_minutes": 60})

    def flash_sale(cap: int):
        return request(web_url, "POST", "/api/v1/operator/flash-sales/", label="launch:sale", replies=replies,
                       headers=operator_auth, body={
                           "product": variant.product.slug, "currency": "USD", "deal_price": "65.00",
                           "quantity_cap": cap, "per_buyer_limit": 1, "duration_minutes": 60})

    # When both launch 20 units at the same instant
    start = threading.Barrier(2)

    def at_once(launcher):
        start.wait()
        return launcher(FIRST_CAP)

    with ThreadPoolExecutor(2) as pool:
        launched = [pool.submit(at_once, live_deal), pool.submit(at_once, flash_sale)]
        live_first, sale_first = [future.result() for future in launched]

    # Then exactly one has them, and the other is told what is free
    assert sorted([live_first.status, sale_first.status]) == [201, 409], (live_first, sale_first)
    loser, relaunch = (live_first, live_deal) if live_first.status == 409 else (sale_first, flash_sale)
    assert loser.json()["error"]["code"] == "deal_stock_short"
    assert loser.json()["error"]["free_by_size"] == {variant.sku: STOCK - FIRST_CAP}
    assert FlashDeal.objects.count() == 1
    assert StockLevel.objects.get(variant=variant).reserved == FIRST_CAP

    # When the refused one launches what is left, then buyers storm both deals (each taps both, twice) while
    # others buy the product at its list price
    again = relaunch(STOCK - FIRST_CAP)
    assert again.status == 201, again
    deals = {deal.pk: deal.quantity_cap for deal in FlashDeal.objects.all()}
    assert sorted(deals.values()) == [STOCK - FIRST_CAP, FIRST_CAP]
    assert StockLevel.objects.get(variant=variant).reserved == STOCK  # nothing free any more

    def tap(person, deal_id: int, attempt: int):
        _buyer, _address, auth = person
        return person, deal_id, request(web_url, "POST", f"/api/v1/live/deals/{deal_id}/claims/", label="storm:claim",
                                        replies=replies, body={"sku": variant.sku},
                                        headers={**auth, "Idempotency-Key": f"race-{deal_id}-{attempt}"})

    def list_price(person):
        _buyer, address, auth = person
        added = request(web_url, "POST", "/api/v1/cart/lines/", label="storm:cart", replies=replies,
                        body={"variant": variant.sku, "quantity": 1}, headers=auth)
        if added.status != 201:
            return added
        return request(web_url, "POST", "/api/v1/checkout/", label="storm:checkout", replies=replies,
                       body={"address_id": address.pk}, headers={**auth, "Idempotency-Key": f"race-list-{address.pk}"})

    taps = [(person, deal_id, attempt) for person in people[:BUYERS] for deal_id in deals for attempt in (1, 2)]
    with ThreadPoolExecutor(16) as pool:
        plain = [pool.submit(list_price, person) for person in people[BUYERS:]]
        tapped = list(pool.map(lambda job: tap(*job), taps))
        plain = [future.result(timeout=60) for future in plain]

    # Then every answer was a claim or a clean refusal, never a hang or a 5xx
    for reply in replies.all:
        assert_clean(reply)
        assert reply.status < 500 and reply.seconds < PATIENCE, reply
    accepted = [(person, deal_id, reply.json()["id"]) for person, deal_id, reply in tapped if reply.status == 201]
    for deal_id, cap in deals.items():
        mine = [person[0].pk for person, claimed_deal, _claim in accepted if claimed_deal == deal_id]
        assert len(mine) == cap and len(set(mine)) == cap  # the cap, one per buyer whatever they tried
    refusals = {reply.json()["error"]["code"] for _p, _d, reply in tapped if reply.status == 409}
    assert refusals <= {"deal_sold_out", "deal_limit_reached"}
    # Every unit is set aside for a deal: the list-price buyers get none (at checkout, or at the cart)
    assert all(reply.status == 409 for reply in plain), plain

    # When every claim is checked out
    def order(job):
        (_buyer, address, auth), _deal_id, claim_id = job
        added = request(web_url, "POST", "/api/v1/cart/lines/", label="order:cart", replies=replies,
                        body={"variant": variant.sku, "quantity": 1, "claim": claim_id}, headers=auth)
        assert added.status == 201, added
        placed = request(web_url, "POST", "/api/v1/checkout/", label="order:checkout", replies=replies,
                         body={"address_id": address.pk}, headers={**auth, "Idempotency-Key": f"race-order-{claim_id}"})
        assert placed.status == 201, placed
        return placed

    # (a buyer with claims on both deals orders them one after the other: one cart each time)
    by_buyer: dict[int, list] = {}
    for job in accepted:
        by_buyer.setdefault(job[0][0].pk, []).append(job)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda jobs: [order(job) for job in jobs], by_buyer.values()))

    # Then the books agree: each deal sold its cap, nothing else was sold, nothing oversold
    for deal_id, cap in deals.items():
        assert OrderLine.objects.filter(deal_id=deal_id).count() == cap
        assert FlashDeal.objects.get(pk=deal_id).remaining == 0
        assert sum(DealAllocation.objects.filter(deal_id=deal_id).values_list("remaining", flat=True)) == 0
        assert sum(DealPurchase.objects.filter(deal_id=deal_id).values_list("quantity", flat=True)) == cap
    assert OrderLine.objects.count() == STOCK
    assert not OrderLine.objects.filter(deal__isnull=True).exists()
    assert DealClaim.objects.filter(status="converted").count() == STOCK
    level = StockLevel.objects.get(variant=variant)
    assert (level.on_hand, level.reserved) == (STOCK, STOCK)  # all in orders, none free, none beyond
    sale = FlashDeal.objects.get(session__isnull=True)
    assert set(OrderLine.objects.filter(deal=sale).values_list("host_commission_rate", flat=True)) == {Decimal(0)}
    assert web.alive() and worker.alive()
