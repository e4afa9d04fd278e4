"""Claims on a live deal: one fast round trip through the Redis gate, a durable row, checkout within the
hold, expiry, and PostgreSQL as the final guard when the gate is wrong or away."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from livestream import gate, services
from livestream.errors import ClaimExpired, DealLimitReached, DealSoldOut
from livestream.models import ClaimStatus, DealClaim, FlashDeal
from livestream.selectors import deal_gate_snapshot
from orders.models import CartLine, Order, OrderLine
from orders.services.cart import cart_line_add
from tests.accounts.factories import address_create, buyer_create, client_for
from tests.helpers import race
from tests.livestream.factories import approved_item, buyer_with_deal_cart, checkout, claim_for, live_deal_create
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.usefixtures("customs_rules")


def claim_url(deal):
    return reverse("livestream:deal-claim", args=[deal.pk])


def claim(client, deal, sku, key, quantity=1):
    return client.post(claim_url(deal), {"sku": sku, "quantity": quantity}, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_a_claim_holds_units_and_a_repeat_returns_it_once():
    _host, _session, variant, deal = live_deal_create(cap=5)
    buyer = buyer_create()
    client = client_for(buyer)

    first = claim(client, deal, variant.sku, "claim-key-0001")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["deal"], body["sku"], body["quantity"], body["status"]) == (deal.pk, variant.sku, 1, "active")
    assert 295 <= body["seconds_left"] <= 300
    assert gate.counts(deal_id=deal.pk) == (4, {buyer.pk: 1})

    replay = claim(client, deal, variant.sku, "claim-key-0001")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == body["id"]
    other_body = claim(client, deal, variant.sku, "claim-key-0001", quantity=2)
    assert other_body.status_code == 409 and other_body.json()["error"]["code"] == "idempotency_key_reused"
    assert DealClaim.objects.count() == 1 and gate.counts(deal_id=deal.pk) == (4, {buyer.pk: 1})

    shown = client.get(reverse("livestream:claim-detail", args=[body["id"]]))
    assert shown.status_code == 200 and shown.json()["status"] == "active"
    assert client_for(buyer_create()).get(reverse("livestream:claim-detail", args=[body["id"]])).status_code == 404
    # The deal's own units do not move until an order takes them; the live state shows what can be claimed.
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 5
    state = client.get(reverse("livestream:session-state", args=[deal.session_id])).json()
    assert state["deals"][0]["remaining"] == 4


@pytest.mark.django_db
def test_sold_out_over_the_limit_and_not_started_are_refused_and_hold_nothing():
    host, session, variant, deal = live_deal_create(cap=2, per_buyer_limit=1)
    clients = [client_for(buyer_create()) for _ in range(3)]
    assert [claim(c, deal, variant.sku, f"sold-out-{i}-key").status_code for i, c in enumerate(clients)] == [
        201, 201, 409]
    refused = claim(clients[2], deal, variant.sku, "sold-out-2-again")
    assert refused.json()["error"]["code"] == "deal_sold_out"
    over = claim(clients[0], deal, variant.sku, "limit-again-key")
    assert over.status_code == 409 and over.json()["error"]["code"] == "deal_limit_reached"
    assert DealClaim.objects.count() == 2 and gate.counts(deal_id=deal.pk)[0] == 0

    later = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=deal.lineup_item_id,
                                 deal_price=Decimal("55.00"), quantity_cap=2, per_buyer_limit=1, duration_minutes=10,
                                 starts_at=timezone.now() + dt.timedelta(minutes=3))
    state = clients[0].get(reverse("livestream:session-state", args=[session.pk]))
    assert [d["id"] for d in state.json()["deals"]] == [deal.pk]
    announced = state.json()["upcoming_deals"]
    assert [(d["id"], d["units"], d["starts_at"]) for d in announced] == [(later.pk, 2, later.starts_at.isoformat())]
    server_time = dt.datetime.fromisoformat(state.json()["server_time"])  # what the countdown runs against
    assert 120 <= (later.starts_at - server_time).total_seconds() <= 180
    early = claim(clients[0], later, variant.sku, "too-early-key")
    assert early.status_code == 409 and early.json()["error"]["code"] == "deal_not_active"
    assert early.json()["error"]["starts_at"] == later.starts_at.isoformat()
    assert not DealClaim.objects.filter(deal=later).exists() and gate.counts(deal_id=later.pk)[0] == 2


@pytest.mark.django_db
def test_a_claim_becomes_an_order_through_the_normal_checkout():
    _host, _session, variant, deal = live_deal_create(cap=5)
    buyer = buyer_create()
    address = address_create(buyer)
    client = client_for(buyer)
    claim_id = claim(client, deal, variant.sku, "to-order-key-1").json()["id"]

    added = client.post(reverse("orders:cart-line-list"), {"variant": variant.sku, "quantity": 1, "claim": claim_id},
                        format="json")
    assert added.status_code == 201, added.json()
    assert added.json()["lines"][0]["unit_price"] == {"amount": "50.74", "currency": "EUR"}  # 59 USD at 0.86
    line_id = added.json()["lines"][0]["id"]
    more = client.patch(reverse("orders:cart-line-detail", args=[line_id]), {"quantity": 2}, format="json")
    assert more.status_code == 400 and more.json()["error"]["code"] == "quantity_limit"
    order = checkout(buyer, address, "claim-order-1").order

    line = OrderLine.objects.get(order=order)
    assert (line.deal_id, line.quantity) == (deal.pk, 1)
    assert DealClaim.objects.get(pk=claim_id).status == ClaimStatus.CONVERTED
    assert FlashDeal.objects.get(pk=deal.pk).remaining == 4
    # Converted: the gate's counts and PostgreSQL's agree (4 left, the buyer holds 1 in an order).
    snapshot = deal_gate_snapshot(deal_id=deal.pk)
    assert (snapshot.left, snapshot.holdings) == (4, {buyer.pk: 1})
    assert gate.counts(deal_id=deal.pk) == (4, {buyer.pk: 1})


@pytest.mark.django_db(transaction=True)
def test_an_expired_claim_gives_its_unit_back_and_cannot_be_checked_out():
    _host, _session, variant, deal = live_deal_create(cap=1)
    late_buyer = buyer_create()
    late_address = address_create(late_buyer)
    held = claim_for(late_buyer, deal, variant).claim
    cart_line_add(buyer=late_buyer, variant_id=variant.pk, quantity=1, claim_id=held.pk)
    other = buyer_create()
    with pytest.raises(DealSoldOut):
        claim_for(other, deal, variant)

    assert services.claims_expire_due(now=timezone.now() + dt.timedelta(seconds=301)) == 1
    assert DealClaim.objects.get(pk=held.pk).status == ClaimStatus.EXPIRED
    assert gate.counts(deal_id=deal.pk) == (1, {})
    with pytest.raises(ClaimExpired):
        checkout(late_buyer, late_address, "late-claim-order")
    assert not Order.objects.exists() and FlashDeal.objects.get(pk=deal.pk).remaining == 1
    assert claim_for(other, deal, variant).claim.status == "active"


@pytest.mark.django_db(transaction=True)
def test_many_buyers_racing_never_claim_more_than_the_deal_has():
    _host, _session, variant, deal = live_deal_create(cap=10, per_buyer_limit=1)
    buyers = [buyer_create() for _ in range(30)]
    greedy = buyers[0]  # also sends four parallel claims of its own, each with another key
    jobs = [(lambda b=b: claim_for(b, deal, variant, idempotency_key=f"race-{b.pk}-key")) for b in buyers]
    jobs += [(lambda i=i: claim_for(greedy, deal, variant, idempotency_key=f"greedy-{i}-key")) for i in range(4)]
    outcomes = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in race(jobs))
    assert outcomes["ok"] == 10 and outcomes["ok"] + outcomes["DealSoldOut"] + outcomes["DealLimitReached"] == 34
    assert DealClaim.objects.count() == 10
    assert DealClaim.objects.filter(buyer=greedy).count() <= 1  # none if the others were faster, never two
    snapshot = deal_gate_snapshot(deal_id=deal.pk)
    assert snapshot.left == 0 and gate.counts(deal_id=deal.pk)[0] == 0


@pytest.mark.django_db(transaction=True)
def test_one_buyer_racing_themselves_holds_no_more_than_the_limit():
    _host, _session, variant, deal = live_deal_create(cap=10, per_buyer_limit=1)
    buyer = buyer_create()
    jobs = [(lambda i=i: claim_for(buyer, deal, variant, idempotency_key=f"self-race-{i}-key")) for i in range(6)]
    outcomes = Counter(kind if kind == "ok" else type(value).__name__ for kind, value in race(jobs))
    assert outcomes == {"ok": 1, "DealLimitReached": 5}
    assert DealClaim.objects.filter(buyer=buyer).count() == 1 and gate.counts(deal_id=deal.pk) == (9, {buyer.pk: 1})


@pytest.mark.django_db
def test_without_the_gate_claims_go_through_the_database_within_bounds(gate_away):
    _host, _session, variant, deal = live_deal_create(cap=2, per_buyer_limit=1)
    clients = [client_for(buyer_create()) for _ in range(3)]
    statuses = [claim(c, deal, variant.sku, f"no-gate-{i}-key").status_code for i, c in enumerate(clients)]
    assert statuses == [201, 201, 409] and DealClaim.objects.count() == 2

    taken = [services._fallback_slots.acquire(timeout=0) for _ in range(8)]  # every slot busy
    try:
        busy = claim(client_for(buyer_create()), deal, variant.sku, "no-gate-busy-key")
    finally:
        for got in taken:
            if got:
                services._fallback_slots.release()
    assert busy.status_code == 503 and busy["Retry-After"] == "2"
    assert busy.json()["error"]["code"] == "service_busy" and DealClaim.objects.count() == 2


@pytest.mark.django_db
def test_a_lost_gate_is_seeded_again_from_the_database_and_drift_is_repaired():
    _host, _session, variant, deal = live_deal_create(cap=5, per_buyer_limit=2)
    buyer = buyer_create()
    claim_for(buyer, deal, variant, quantity=2)
    gate._client().flushdb()  # Redis restarted without persistence: every gate key is gone

    claim_for(buyer_create(), deal, variant)
    assert gate.counts(deal_id=deal.pk)[0] == 2  # 5, less the 2 held before the loss and the new one
    with pytest.raises(DealLimitReached):  # the first buyer's holding survived the loss too
        claim_for(buyer, deal, variant)

    gate._client().hset(gate._keys(deal.pk)[0], "left", 99)  # drift, e.g. a process killed mid-claim
    assert services.deal_gate_reconcile() == 1
    assert gate.counts(deal_id=deal.pk)[0] == 2
    assert services.deal_gate_reconcile() == 0


@pytest.mark.django_db
def test_a_checkout_that_does_not_commit_gives_the_gate_back_what_it_took():
    # Given a buyer with two deals in the cart: boots (taken first, by deal order) and a sold-out second deal
    host, session, variant, boots = live_deal_create(cap=5)
    other = priced_variant(stock=5)
    item = approved_item(host, session, other)
    sold_out = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk,
                                    deal_price=Decimal("9.00"), quantity_cap=1, per_buyer_limit=1,
                                    duration_minutes=30)
    claim_for(buyer_create(), sold_out, other)
    buyer, address = buyer_with_deal_cart(variant, boots)
    cart_line_add(buyer=buyer, variant_id=other.pk, quantity=1, deal_id=sold_out.pk)

    # When the checkout is refused after the gate admitted the boots
    with pytest.raises(DealSoldOut):
        checkout(buyer, address, "two-deals-1")

    # Then nothing is kept, in PostgreSQL or in the gate: the boots' unit and the buyer's allowance are back
    assert not Order.objects.exists()
    assert gate.counts(deal_id=boots.pk) == (5, {})
    assert FlashDeal.objects.get(pk=boots.pk).remaining == 5
    # and once the other line is gone the same buyer buys the boots
    CartLine.objects.filter(cart__buyer=buyer, deal=sold_out).delete()
    assert checkout(buyer, address, "two-deals-2").order.lines.get().sku == variant.sku
    assert gate.counts(deal_id=boots.pk) == (4, {buyer.pk: 1})


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_claims_is_published_coalesced_and_the_last_state_always_goes_out(settings):
    import json
    import time

    import redis

    from livestream import realtime

    _host, session, variant, deal = live_deal_create(cap=6)
    listener = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(realtime.channel(session.pk))
    for _ in range(5):  # five claims within one coalescing window
        claim_for(buyer_create(), deal, variant)

    published, deadline = [], time.monotonic() + 3
    while time.monotonic() < deadline:
        message = listener.get_message(timeout=0.1)
        if message:
            published.append(json.loads(message["data"]))
    listener.close()
    # Fewer messages than changes, and the last one shows all five claims
    assert 1 <= len(published) < 5
    (last,) = published[-1]["deals"]
    assert (last["remaining"], last["held"], last["sold"], last["sold_out"]) == (1, 5, 0, False)
