"""Foot profiles and size recommendations through the API."""

import pytest
from django.urls import reverse

from fit.models import FootProfile
from tests.accounts.factories import buyer_create, client_for
from tests.shop.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boots():
    product = ProductFactory(slug="chelsea", gender="men")
    for size, length, width in (("41", 255, "E"), ("42", 260, "E"), ("42", 260, "3E"), ("43", 265, "E")):
        VariantFactory(product=product, size_label=size, foot_length_mm=length, width_class=width)
    return product


def create_profile(client, **changes):
    body = {"name": "Me", "gender": "men", "left_length_mm": 257, "right_length_mm": 255, "left_girth_mm": 261,
            "right_girth_mm": 255, "method": "tape", "measured_on": "2026-11-20", **changes}
    return client.post(reverse("fit:foot-profile-list"), body, format="json")


def test_recommends_from_the_products_own_chart_by_the_longer_foot(boots):
    client = client_for(buyer_create())
    profile = create_profile(client).json()
    response = client.get(reverse("fit:size-recommendation", args=["chelsea"]), {"profile": profile["id"],
                                                                                    "system": "us_m"})
    assert response.status_code == 200, response.json()
    body = response.json()
    # Left foot 257 mm -> 260 nominal; girth 261 at 260 mm is 3E (E = 249, +6 mm a class): the 3E last of 42.
    assert (body["nominal_length_mm"], body["width_class"], body["size_label"]) == (260, "3E", "42")
    assert body["sku"] == boots.variants.get(width_class="3E").sku
    assert (body["system"], body["size_in_system"], body["confidence"], body["fit_note"]) == ("US_M", "8", "high", "")


def test_a_width_two_classes_off_gets_a_fit_note_and_the_generic_table_is_the_fallback():
    product = ProductFactory(slug="loafer", gender="men")
    for size in ("41", "42", "43"):
        VariantFactory(product=product, size_label=size, foot_length_mm=None, width_class="")
    client = client_for(buyer_create())
    profile = create_profile(client).json()
    body = client.get(reverse("fit:size-recommendation", args=["loafer"]), {"profile": profile["id"]}).json()
    assert body["size_label"] == "42" and "generic conversion table" in body["basis"]
    assert body["confidence"] == "medium"

    narrow = ProductFactory(slug="narrow", gender="men")
    VariantFactory(product=narrow, size_label="42", foot_length_mm=260, width_class="D")
    body = client.get(reverse("fit:size-recommendation", args=["narrow"]), {"profile": profile["id"]}).json()
    assert "tight across the ball" in body["fit_note"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"left_length_mm": 50}, "left_length_mm"), ({"right_length_mm": 420}, "right_length_mm"),
     ({"left_girth_mm": 90}, "left_girth_mm"), ({"left_length_mm": None}, "left_length_mm"),
     ({"method": "guess"}, "method")],
)
def test_impossible_measurements_are_refused_and_nothing_is_stored(changes, field):
    client = client_for(buyer_create())
    response = create_profile(client, **changes)
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not FootProfile.objects.exists()


def test_bad_requests_and_other_buyers_profiles(boots):
    anna, ben = client_for(buyer_create()), client_for(buyer_create())
    profile = create_profile(anna).json()
    url = reverse("fit:size-recommendation", args=["chelsea"])
    assert ben.get(url, {"profile": profile["id"]}).status_code == 404
    assert anna.get(url, {"profile": profile["id"], "system": "XX"}).json()["error"]["fields"] == {
        "system": ["One of EU, UK, US_M, US_W, JP, CN."]}
    jersey = ProductFactory(slug="jersey")
    VariantFactory(product=jersey, size_system="APPAREL", size_label="M", foot_length_mm=None)
    response = anna.get(reverse("fit:size-recommendation", args=["jersey"]), {"profile": profile["id"]})
    assert response.status_code == 400 and response.json()["error"]["code"] == "no_size_data"
    assert ben.get(reverse("fit:foot-profile-list")).json() == []
    assert ben.delete(reverse("fit:foot-profile-detail", args=[profile["id"]])).status_code == 404
    assert anna.delete(reverse("fit:foot-profile-detail", args=[profile["id"]])).status_code == 204
    assert not FootProfile.objects.exists()


def test_fit_reports_after_delivery_move_later_recommendations(boots, rates, settings):
    from orders.models import Order, Shipment
    from orders.services.checkout import order_place
    from tests.orders.factories import buyer_with_cart
    from tests.shop.factories import StockLevelFactory

    settings.LIVEDOCK_FIT_MIN_REPORTS = 3
    size_42 = boots.variants.get(size_label="42", width_class="E")
    from tests.shop.factories import PriceFactory

    PriceFactory(variant=size_42)
    StockLevelFactory(variant=size_42, on_hand=20)
    from shop import services as shop_services

    shop_services.product_listing_refresh(product_ids=[boots.pk])
    reporters = []
    for i in range(3):
        buyer, address = buyer_with_cart([(size_42, 1)])
        order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key=f"fit-order-{i}",
                            request_hash="h").order
        reporters.append((buyer, order))
    buyer, order = reporters[0]
    line = order.lines.get()
    url = reverse("fit:fit-report", args=[order.number, line.pk])
    assert client_for(buyer).post(url, {"verdict": "too_small"}, format="json").status_code == 409  # not arrived
    for buyer, order in reporters:
        Shipment.objects.filter(order=order).update(status="delivered", tracking_number="T1")
        Order.objects.filter(pk=order.pk).update(status="delivered")
        line = order.lines.get()
        response = client_for(buyer).post(reverse("fit:fit-report", args=[order.number, line.pk]),
                                          {"verdict": "too_small"}, format="json")
        assert response.status_code == 201, response.json()
    again = client_for(reporters[0][0]).post(url, {"verdict": "right"}, format="json")
    assert again.status_code == 409

    shopper = client_for(buyer_create())
    profile = create_profile(shopper, left_girth_mm=None, right_girth_mm=None).json()
    body = shopper.get(reverse("fit:size-recommendation", args=["chelsea"]), {"profile": profile["id"]}).json()
    # Three of three say too small: +10 mm, so 257 mm feet are sized at 270 mm: the largest, 43, not 42.
    assert (body["learned_offset_mm"], body["nominal_length_mm"], body["size_label"]) == (10, 270, "43")


def _buyers_with_feet(variant, count, length_mm=262, girth=None):
    from orders.models import Order
    from orders.services.checkout import order_place
    from tests.orders.factories import buyer_with_cart

    for i in range(count):
        buyer, address = buyer_with_cart([(variant, 1)])
        FootProfile.objects.create(buyer=buyer, left_length_mm=length_mm + (i % 3) * 5, right_length_mm=250,
                                   left_girth_mm=girth, measured_on="2026-11-01")
        order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key=f"curve-{i}-key",
                            request_hash="h").order
        Order.objects.filter(pk=order.pk).update(status="paid", payment_status="paid")


def test_manufacturer_size_curve_is_an_aggregate_over_enough_buyers(client, rates, settings):
    from tests.shop.factories import MembershipFactory, priced_variant

    settings.LIVEDOCK_FIT_MIN_BUYERS = 10
    variant = priced_variant(stock=50)
    category = variant.product.category.slug
    staff = MembershipFactory(manufacturer=variant.product.manufacturer)
    client.force_login(staff.user)
    url = reverse("admin:orders_size_curve")
    params = {"market": "DE", "category": category, "batch": 100}

    _buyers_with_feet(variant, 4)
    page = client.get(url, params)
    assert page.status_code == 200 and "Only 4 buyers" in page.content.decode()
    assert "curve" not in page.context

    _buyers_with_feet(variant, 8)
    curve = client.get(url, params).context["curve"]
    assert curve.buyers == 12 and sum(row["pairs"] for row in curve.rows) == 100
    assert [row["length_mm"] for row in curve.rows] == [265, 270, 275]
    csv_body = client.get(url, {**params, "format": "csv"}).content.decode().splitlines()
    assert csv_body[0] == "foot_length_mm,eu_size,width_class,buyers,share_percent,pairs" and len(csv_body) == 4

    outsider = MembershipFactory()
    client.force_login(outsider.user)
    page = client.get(url, {**params, "manufacturer": variant.product.manufacturer_id})
    assert "curve" not in page.context  # staff always see their own manufacturer, never another's


def test_a_return_for_fit_carries_its_reason_and_counts_as_a_fit_report(rates):
    from fit.models import FitReport
    from payments.models import RefundLine
    from tests.payments.factories import paid_order
    from tests.shop.factories import UserFactory, priced_variant

    order = paid_order([(priced_variant(stock=5), 1)])
    operator = client_for(UserFactory(is_staff=True, is_superuser=True))
    line = order.lines.get()
    url = reverse("payments:operator-refund", args=[order.number])
    bad = operator.post(url, {"reason": "Returned", "lines": [{"line_id": line.pk, "quantity": 1,
                                                                "fit_reason": "too_pretty"}]}, format="json",
                        HTTP_IDEMPOTENCY_KEY="refund-fit-bad")
    assert bad.status_code == 400 and not RefundLine.objects.exists()
    response = operator.post(url, {"reason": "Returned", "lines": [{"line_id": line.pk, "quantity": 1,
                                                                     "fit_reason": "too_small"}]}, format="json",
                             HTTP_IDEMPOTENCY_KEY="refund-fit-small")
    assert response.status_code == 202
    assert RefundLine.objects.get().fit_reason == "too_small"
    assert FitReport.objects.get(order_line=line).verdict == "too_small"


def test_buyer_exports_their_foot_data():
    client = client_for(buyer_create())
    create_profile(client)
    response = client.get(reverse("fit:foot-profile-export"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert [p["left_length_mm"] for p in response.json()] == [257]


def test_without_a_system_the_answer_is_in_the_buyers_stored_size_system(boots):
    buyer = buyer_create()
    client = client_for(buyer)
    profile = create_profile(client).json()
    url = reverse("fit:size-recommendation", args=["chelsea"])
    body = client.get(url, {"profile": profile["id"]}).json()
    assert (body["system"], body["size_in_system"]) == ("EU", "42")  # nothing stored but the default

    assert client.patch(reverse("accounts:profile"), {"size_system": "UK"}, format="json").status_code == 200
    body = client.get(url, {"profile": profile["id"]}).json()
    assert (body["system"], body["size_in_system"]) == ("UK", "7.5")
    body = client.get(url, {"profile": profile["id"], "system": "JP"}).json()  # asking still wins
    assert (body["system"], body["size_in_system"]) == ("JP", "26")
