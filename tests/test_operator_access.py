"""The operator API is for operators: staff who work for no manufacturer. A manufacturer's staff are
staff too (for the admin), and are refused here with nothing changed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from livestream.models import Festival, LiveBase, LiveSession, Studio
from orders.services.checkout import order_place
from payments.models import Refund
from tests.accounts.factories import client_for
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import MembershipFactory, UserFactory, priced_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("customs_rules")]  # checkouts quote duties


@pytest.fixture
def festival():
    now = timezone.now()
    base = LiveBase.objects.create(name="Base", city="Wenzhou")
    Studio.objects.create(base=base, name="A")
    return Festival.objects.create(base=base, name="Fest", slug="fest", starts_at=now,
                                   ends_at=now + dt.timedelta(days=1))


@pytest.mark.usefixtures("rates", "customs_rules")
def test_manufacturer_staff_are_refused_by_every_operator_endpoint(festival):
    variant = priced_variant(stock=5)
    buyer, address = buyer_with_cart([(variant, 1)])
    order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="operator-access-1",
                        request_hash="h").order
    staff = client_for(MembershipFactory(manufacturer=variant.product.manufacturer).user)

    refund = staff.post(reverse("payments:operator-refund", args=[order.number]), {"reason": "x", "full": True},
                        format="json")
    schedule = staff.post(reverse("livestream:operator-session-schedule"), {}, format="json")
    auto = staff.post(reverse("livestream:operator-auto-schedule", args=[festival.slug]))
    publish = staff.post(reverse("livestream:operator-publish", args=[festival.slug]))
    metrics = staff.get(reverse("livestream:operator-festival-metrics", args=[festival.slug]))

    for response in (refund, schedule, auto, publish, metrics):
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "permission_denied"
    assert not Refund.objects.exists()
    assert not LiveSession.objects.exists()


def test_staff_without_a_manufacturer_are_operators(festival):
    operator = client_for(UserFactory(is_staff=True))
    response = operator.get(reverse("livestream:operator-festival-metrics", args=[festival.slug]))
    assert response.status_code == 200, response.content
    assert (response.json()["festival"], response.json()["sessions"]) == ("fest", 0)
    buyer = client_for(UserFactory())
    assert buyer.get(reverse("livestream:operator-festival-metrics", args=[festival.slug])).status_code == 403
