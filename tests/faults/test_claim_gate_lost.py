"""The Redis of the claim gate dies in the middle of a claim storm and comes back empty (no persistence, as
a cache-only Redis restarts). The app runs as in production: gunicorn with uvicorn workers answering claims
in front of Django, a Celery worker running the claim beats, the broker on a Redis of its own.

What it must do: while the gate is away claims go through PostgreSQL a few at a time (beyond that a 503
with Retry-After, never a hang or a 500); once it is back it is seeded again from PostgreSQL on the first
claim; nothing is ever promised twice (0 oversold, nobody over the per-buyer limit); and every claim that
was accepted either becomes an order or is told it expired, and its unit is claimed by somebody else.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis as redis_client
from rest_framework_simplejwt.tokens import AccessToken

from livestream import gate as claim_gate
from livestream.models import ClaimStatus, DealAllocation, DealClaim, DealPurchase, FlashDeal
from livestream.selectors import deal_gate_snapshot
from orders.models import Order, OrderLine
from shop.models import StockLevel
from tests.accounts.factories import address_create, buyer_create
from tests.faults.client import Replies, assert_clean, request
from tests.faults.flash_sale import wait_until
from tests.faults.processes import send_beat
from tests.livestream.factories import live_deal_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

CAP = 12
STORM, AFTER = 40, 16  # buyers tapping while the gate dies and comes back; buyers tapping once it settled
HOLD = 6  # seconds a claim is held for checkout
PATIENCE = 8  # seconds: an answer slower than this is a hang


def test_claim_gate_lost_mid_storm_oversells_nothing_and_every_claim_is_ordered_or_told_it_expired(launch):
    # Given a deal of 12 units (one per buyer) and 56 buyers, the gate on a Redis of its own
    _host, _session, variant, deal = live_deal_create(cap=CAP)
    people = []
    for _ in range(STORM + AFTER):
        buyer = buyer_create()
        people.append((buyer, address_create(buyer), str(AccessToken.for_user(buyer))))
    broker, gate = launch.redis(), launch.redis(persistent=False)
    extra = {"LIVEDOCK_GATE_REDIS_URL": gate.url, "LIVEDOCK_CLAIM_HOLD_SECONDS": str(HOLD),
             "LIVEDOCK_GATE_TIMEOUT": "0.3"}
    worker = launch.worker("worker", broker_url=broker.url, wait=False, **extra)
    web, web_url = launch.web(broker_url=broker.url, wait=False, **extra)
    worker.wait_ready(), web.wait_ready()
    replies = Replies()

    def tap(person, phase: str, attempt: int):
        """One tap (and a second, to try to beat the limit), repeated after a 503 as the app says."""
        buyer, _address, token = person
        reply = None
        for _ in range(6):
            reply = request(web_url, "POST", f"/api/v1/live/deals/{deal.pk}/claims/", label=f"{phase}:claim",
                            replies=replies, body={"sku": variant.sku},
                            headers={"Authorization": f"Bearer {token}",
                                     "Idempotency-Key": f"claim-tap-{buyer.pk}-{attempt}"})
            if reply.status != 503:
                break
            time.sleep(min(reply.json()["error"].get("retry_after_seconds", 1), 1))
        return person, reply

    # When the gate dies while the first buyers' claims are answered, buyers tap while it is away, and more
    # once it is back (empty)
    first, away, back = people[:8], people[8:24], people[24:STORM]
    with ThreadPoolExecutor(8) as pool:
        tapped = [pool.submit(tap, person, "storm", attempt) for person in first for attempt in (1, 2)]
        wait_until(lambda: len(replies.labelled("storm:")) >= 4, timeout=30, message="the first claims answered")
        gate.crash()
        tapped = [future.result(timeout=120) for future in tapped]
        tapped += list(pool.map(lambda job: tap(*job), [(person, "storm", a) for person in away for a in (1, 2)]))
        gate.start_again()
        tapped += list(pool.map(lambda job: tap(*job), [(person, "storm", a) for person in back for a in (1, 2)]))

    # Then every answer was a claim, a clean refusal or a 503 to retry; never a hang, never two claims each
    for reply in replies.all:
        assert_clean(reply)
        assert reply.status in (201, 409, 503) and reply.seconds < PATIENCE, reply
    assert "made through the database" in web.log()  # claims went on while the gate was away
    accepted = {reply.json()["id"]: person for person, reply in tapped if reply.status == 201}
    assert DealClaim.objects.filter(status=ClaimStatus.ACTIVE).count() == len(accepted) == CAP
    assert len({person[0].pk for person in accepted.values()}) == CAP  # one per buyer, whatever they tried

    # When half of them check out, and the others let their hold run out
    ordering = list(accepted.items())[: CAP // 2]
    for claim_id, (_buyer, address, token) in ordering:
        auth = {"Authorization": f"Bearer {token}"}
        added = request(web_url, "POST", "/api/v1/cart/lines/", label="order:cart", replies=replies,
                        body={"variant": variant.sku, "quantity": 1, "claim": claim_id}, headers=auth)
        assert added.status == 201, added
        placed = request(web_url, "POST", "/api/v1/checkout/", label="order:checkout", replies=replies,
                         body={"address_id": address.pk},
                         headers={**auth, "Idempotency-Key": f"order-claim-{claim_id}"})
        assert placed.status == 201, placed
    time.sleep(HOLD + 0.5)
    send_beat(broker.url, "live.claims_expire", "live.gate_reconcile")
    lapsed = [claim_id for claim_id, _person in list(accepted.items())[CAP // 2:]]
    wait_until(lambda: DealClaim.objects.filter(pk__in=lapsed, status=ClaimStatus.EXPIRED).count() == len(lapsed),
               timeout=30, message="the unordered claims expired")

    # Then those buyers are told so, and their checkout is refused
    for claim_id in lapsed:
        _buyer, _address, token = accepted[claim_id]
        auth = {"Authorization": f"Bearer {token}"}
        told = request(web_url, "GET", f"/api/v1/live/claims/{claim_id}/", label="lapsed:claim", replies=replies,
                       headers=auth)
        assert (told.status, told.json()["status"], told.json()["seconds_left"]) == (200, "expired", 0)
        refused = request(web_url, "POST", "/api/v1/cart/lines/", label="lapsed:cart", replies=replies,
                          body={"variant": variant.sku, "quantity": 1, "claim": claim_id}, headers=auth)
        assert (refused.status, refused.json()["error"]["code"]) == (409, "claim_expired")

    # And the freed units are claimed by the buyers who come next, no more than were freed
    with ThreadPoolExecutor(8) as pool:
        after = list(pool.map(lambda person: tap(person, "after", 1)[1], people[STORM:]))
    assert sorted(r.status for r in after) == [201] * len(lapsed) + [409] * (AFTER - len(lapsed))
    assert {r.json()["error"]["code"] for r in after if r.status == 409} == {"deal_sold_out"}

    # And the books: orders, claims, the deal, the stock and the gate all agree, nothing oversold
    ordered = OrderLine.objects.filter(deal=deal)
    assert ordered.count() == Order.objects.count() == len(ordering)
    assert DealClaim.objects.filter(status=ClaimStatus.CONVERTED).count() == len(ordering)
    active = DealClaim.objects.filter(status=ClaimStatus.ACTIVE).count()
    assert active == len(lapsed)
    assert FlashDeal.objects.get(pk=deal.pk).remaining == CAP - len(ordering)
    assert sum(DealPurchase.objects.filter(deal=deal).values_list("quantity", flat=True)) == len(ordering)
    # The deal's 12 units stay set aside in the stock row while it runs: 6 in orders, 6 for the claims
    assert StockLevel.objects.get(variant=variant).reserved == CAP
    assert DealAllocation.objects.get(deal=deal).remaining == CAP - len(ordering)
    snapshot = deal_gate_snapshot(deal_id=deal.pk)
    assert snapshot.left == 0
    state, buyers = claim_gate._keys(deal.pk)[:2]
    live_gate = redis_client.Redis.from_url(gate.url, decode_responses=True)
    assert int(live_gate.hget(state, "left")) == 0
    assert {int(b): int(n) for b, n in live_gate.hgetall(buyers).items() if int(n)} == snapshot.holdings
    assert web.alive() and worker.alive() and len(gate.processes) == 2
