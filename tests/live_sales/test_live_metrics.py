"""Live-session metrics rolled up from paid orders, refunds and view reports; the festival chart."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from livestream import services
from tests.livestream.factories import buyer_with_deal_cart, checkout, live_deal_create
from tests.payments.factories import order_pay
from tests.shop.factories import UserFactory


@pytest.fixture
def live_deal(db):
    return live_deal_create()


@pytest.mark.django_db
def test_views_ingest_and_session_metrics(live_deal, customs_rules, api_client):
    from live_sales.services import session_metrics_rollup

    host, session, variant, deal = live_deal
    _tool, token = services.streaming_tool_create(host=host, name="OBS")
    url = reverse("livestream:session-views", args=[session.pk])
    assert api_client.post(url, {"views": 10}, format="json", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert api_client.post(url, {"views": -1}, format="json", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 400
    assert api_client.post(url, {"views": 1000}, format="json",
                           HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 201

    for i in range(2):
        buyer, address = buyer_with_deal_cart(variant, deal)
        order_pay(checkout(buyer, address, f"metrics-{i}-key").order)
    buyer, address = buyer_with_deal_cart(variant, deal)
    checkout(buyer, address, "metrics-unpaid-key")  # unpaid: not counted

    values = session_metrics_rollup(session_id=session.pk)
    # 2 paid orders of 59 USD at 0.86 = 50.74 EUR each = 59.00 USD back in the reporting currency
    assert (values["orders"], values["units"], values["unique_buyers"], values["views"]) == (2, 2, 2, 1000)
    assert values["gmv"] == Decimal("118.00") and values["gmv_by_currency"] == {"EUR": "101.48"}
    assert values["conversion_rate"] == Decimal("0.00200")
    assert values["gmv_per_thousand_views"] == Decimal("118.00")
    assert values["host_commission"] == Decimal("17.70")  # 15% agreed
    client = APIClient()
    client.force_authenticate(host.user)
    body = client.get(reverse("livestream:host-metrics", args=[session.pk])).json()
    assert body["orders"] == 2 and body["gmv"] == "118.00"



@pytest.mark.django_db
def test_festival_metrics_chart_and_category_filter(live_deal, customs_rules, client, api_client):
    from live_sales.services import session_metrics_rollup

    host, session, variant, deal = live_deal
    buyer, address = buyer_with_deal_cart(variant, deal)
    order_pay(checkout(buyer, address, "festival-metrics-1").order)
    session_metrics_rollup(session_id=session.pk)

    operator = UserFactory(is_staff=True, is_superuser=True)
    api_client.force_authenticate(operator)
    body = api_client.get(reverse("livestream:operator-festival-metrics", args=["fest"])).json()
    assert (body["sessions"], body["orders"], body["gmv"]) == (1, 1, "59.00")
    assert api_client.get(reverse("livestream:operator-festival-metrics", args=["nope"])).status_code == 404

    client.force_login(operator)
    page = client.get(reverse("admin:livestream_sessionmetrics_chart", args=[session.pk]))
    assert page.status_code == 200 and b"GMV per minute" in page.content and b"<rect" in page.content

    category = variant.product.category.slug
    listed = APIClient().get(reverse("livestream:session-list"), {"category": category}).json()["results"]
    assert [s["id"] for s in listed] == [session.pk]
    assert APIClient().get(reverse("livestream:session-list"), {"category": "no-such"}).json()["results"] == []

