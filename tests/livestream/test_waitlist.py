"""A sold-out deal's waitlist: units that come back go to waiting buyers in the order they joined, each as
a short-held claim through the gate, never past the cap; nobody else can take a unit owed to them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from livestream import gate, services
from livestream.errors import DealNotSoldOut, DealSoldOut
from livestream.models import ClaimStatus, DealClaim, DealWaitlistEntry, WaitlistStatus
from livestream.selectors import session_state
from tests.accounts.factories import buyer_create, client_for
from tests.livestream.factories import claim_for, live_deal_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("customs_rules")]


def waitlist_url(deal):
    return reverse("livestream:deal-waitlist", args=[deal.pk])


def join(buyer, deal, variant):
    return client_for(buyer).post(waitlist_url(deal), {"sku": variant.sku}, format="json")


def later(seconds: int):
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_units_that_come_back_go_to_waiting_buyers_in_order_and_to_nobody_else(settings):
    # Given a deal of 2 units, both claimed
    _host, session, variant, deal = live_deal_create(cap=2)
    first, second = buyer_create(), buyer_create()
    claim_for(first, deal, variant)
    claim_for(second, deal, variant, idempotency_key="second-claim")
    waiting_one, waiting_two, tapping = buyer_create(), buyer_create(), buyer_create()

    # When two buyers join the waitlist (one twice)
    joined = join(waiting_one, deal, variant)
    assert joined.status_code == 201, joined.json()
    assert (joined.json()["status"], joined.json()["position"], joined.json()["claim"]) == ("waiting", 1, None)
    assert join(waiting_two, deal, variant).json()["position"] == 2
    again = join(waiting_one, deal, variant)
    assert (again.status_code, again.json()["id"]) == (200, joined.json()["id"])
    (state,) = session_state(session_id=session.pk)["deals"]
    assert (state["remaining"], state["waitlist"], state["sold_out"]) == (0, 2, True)

    # When the first claim expires
    DealClaim.objects.filter(buyer=first).update(expires_at=later(-1))
    assert services.claims_expire_due() == 1

    # Then its unit is offered to the first waiting buyer, held for the waitlist's short hold
    mine = client_for(waiting_one).get(waitlist_url(deal)).json()
    assert (mine["status"], mine["position"]) == ("offered", None)
    assert mine["claim"]["status"] == "active" and mine["claim"]["sku"] == variant.sku
    offered = DealClaim.objects.get(pk=mine["claim"]["id"])
    assert offered.buyer_id == waiting_one.pk
    hold = (offered.expires_at - offered.created_at).total_seconds()
    assert settings.LIVEDOCK_WAITLIST_HOLD_SECONDS - 1 <= hold <= settings.LIVEDOCK_WAITLIST_HOLD_SECONDS + 1
    assert client_for(waiting_two).get(waitlist_url(deal)).json()["position"] == 1
    # ... and a buyer who did not wait cannot take the next unit that comes back ahead of the waiting one
    DealClaim.objects.filter(buyer=second).update(expires_at=later(-1))
    assert services.claims_expire_due() == 1
    with pytest.raises(DealSoldOut):
        claim_for(tapping, deal, variant)
    assert DealWaitlistEntry.objects.get(buyer=waiting_two).status == WaitlistStatus.OFFERED
    # Never past the cap: the two active claims are the waiting buyers'
    active = DealClaim.objects.filter(deal=deal, status=ClaimStatus.ACTIVE)
    assert sorted(active.values_list("buyer_id", flat=True)) == sorted([waiting_one.pk, waiting_two.pk])
    assert gate.counts(deal_id=deal.pk)[0] == 0 and gate.waiting_counts(deal_id=deal.pk) == {}


def test_joining_while_units_can_be_claimed_is_refused_and_leaving_frees_the_place():
    _host, _session, variant, deal = live_deal_create(cap=1)
    early, holder, waiting, tapping = buyer_create(), buyer_create(), buyer_create(), buyer_create()
    with pytest.raises(DealNotSoldOut):
        services.waitlist_join(buyer_id=early.pk, deal_id=deal.pk, variant_id=variant.pk,
                               product_id=variant.product_id, quantity=1)
    refused = join(early, deal, variant)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "deal_not_sold_out")
    claim_for(holder, deal, variant)
    assert join(waiting, deal, variant).status_code == 201
    assert gate.waiting_counts(deal_id=deal.pk) == {variant.pk: 1}

    left = client_for(waiting).delete(waitlist_url(deal))
    assert left.status_code == 204
    assert client_for(waiting).delete(waitlist_url(deal)).status_code == 404
    assert client_for(waiting).get(waitlist_url(deal)).json()["status"] == "left"
    assert gate.waiting_counts(deal_id=deal.pk) == {}
    # With nobody waiting, a unit that comes back is anyone's again
    DealClaim.objects.filter(buyer=holder).update(expires_at=later(-1))
    services.claims_expire_due()
    assert claim_for(tapping, deal, variant).claim.status == "active"


def test_a_waiting_buyer_who_holds_the_limit_by_now_is_passed_over_and_the_gate_forgets_nothing():
    _host, _session, variant, deal = live_deal_create(cap=2)
    holder, double, waiting = buyer_create(), buyer_create(), buyer_create()
    claim_for(holder, deal, variant)
    claim_for(double, deal, variant)
    assert join(waiting, deal, variant).status_code == 201
    assert join(double, deal, variant).status_code == 409  # holds the limit: cannot wait for more
    # The gate's memory is lost (Redis restarted): the units owed to the waitlist come back with it
    gate._client().flushdb()
    with pytest.raises(DealSoldOut):
        claim_for(buyer_create(), deal, variant)
    assert gate.waiting_counts(deal_id=deal.pk) == {variant.pk: 1}
    assert services.deal_gate_reconcile() == 0
    # The waiting buyer meanwhile got a unit another way (a claim of an earlier moment, say): passed over
    DealClaim.objects.create(deal=deal, buyer=waiting, variant=variant, quantity=1, expires_at=later(300))
    assert services.deal_gate_reconcile() == 1  # the gate learns of it from PostgreSQL
    DealClaim.objects.filter(buyer=holder).update(expires_at=later(-1))
    services.claims_expire_due()
    assert DealWaitlistEntry.objects.get(buyer=waiting).status == WaitlistStatus.LAPSED
    assert gate.waiting_counts(deal_id=deal.pk) == {}


def test_without_the_gate_joining_answers_503_and_keeps_no_place(request):
    _host, _session, variant, deal = live_deal_create(cap=1)
    claim_for(buyer_create(), deal, variant)
    request.getfixturevalue("gate_away")  # the deal sold out; now the gate's Redis stops answering
    response = join(buyer_create(), deal, variant)
    assert (response.status_code, response.json()["error"]["code"]) == (503, "service_busy")
    assert response["Retry-After"] == "2"
    assert not DealWaitlistEntry.objects.exists()
