"""Each process keeps the FX table and the duty and tax rules; a change to either, by any write path, prices
the very next checkout."""

import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from landed_cost.models import DutyRule, TaxRate
from landed_cost.services import customs_rules_load
from orders.models import Order
from shop.models import FxRate
from tests.accounts.factories import client_for
from tests.orders.factories import buyer_with_cart
from tests.shop.factories import priced_variant

RULES = Path(settings.BASE_DIR) / "data" / "customs" / "rules-2026-11.json"


def two_carts():
    variant = priced_variant(amount="200.00", stock=10)  # above EUR 150: the EU import regime, duty and VAT
    return buyer_with_cart([(variant, 1)]), buyer_with_cart([(variant, 1)])


def place(buyer, address, key):
    response = client_for(buyer).post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                                      HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


@pytest.mark.django_db
def test_a_rate_changed_between_two_checkouts_prices_the_second(rates):
    first_cart, second_cart = two_carts()
    first = place(*first_cart, key="rate-first-0001")
    FxRate.objects.filter(base="USD", quote="EUR").update(rate=Decimal("0.90"))
    second = place(*second_cart, key="rate-second-0001")
    assert [(o.lines.get().fx_rate, o.goods_total) for o in (first, second)] == [
        (Decimal("0.86"), Decimal("172.000")), (Decimal("0.90"), Decimal("180.000"))]


@pytest.mark.django_db
def test_a_tax_rate_changed_between_two_checkouts_is_charged_on_the_second(rates):
    first_cart, second_cart = two_carts()
    first = place(*first_cart, key="tax-first-0001")
    TaxRate.objects.filter(country="DE").update(rate=Decimal("0.21"))
    second = place(*second_cart, key="tax-second-0001")
    assert [o.landed_cost["tax"]["rate"] for o in (first, second)] == ["0.1900", "0.2100"]
    assert second.taxes_total > first.taxes_total


@pytest.mark.django_db
def test_a_duty_rule_changed_between_two_checkouts_is_charged_on_the_second(rates):
    first_cart, second_cart = two_carts()
    first = place(*first_cart, key="duty-first-0001")
    rule = DutyRule.objects.get(territory="EU", hs_prefix="6403")
    rule.rate = Decimal("0.12")  # a model save, as the admin does
    rule.save()
    second = place(*second_cart, key="duty-second-0001")
    assert first.duties_total > 0
    assert abs(second.duties_total - first.duties_total * Decimal("1.5")) <= Decimal("0.02")  # 12% against 8%


@pytest.mark.django_db
def test_rules_loaded_from_a_file_between_two_checkouts_apply_to_the_second(rates, tmp_path):
    first_cart, second_cart = two_carts()
    first = place(*first_cart, key="file-first-0001")
    document = json.loads(RULES.read_text())
    for row in document["tax_rates"]:
        if row["country"] == "DE":
            row["rate"] = "0.16"
    changed = tmp_path / "rules.json"
    changed.write_text(json.dumps(document))
    customs_rules_load(path=changed)
    second = place(*second_cart, key="file-second-0001")
    assert [o.landed_cost["tax"]["rate"] for o in (first, second)] == ["0.1900", "0.1600"]


@pytest.mark.django_db(transaction=True)
def test_a_rule_committed_by_another_process_applies_to_the_very_next_checkout(rates):
    first_cart, second_cart = two_carts()
    first = place(*first_cart, key="other-first-0001")

    def elsewhere():  # another process's connection, committing on its own
        try:
            TaxRate.objects.filter(country="DE").update(rate=Decimal("0.20"))
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    second = place(*second_cart, key="other-second-0001")
    assert [o.landed_cost["tax"]["rate"] for o in (first, second)] == ["0.1900", "0.2000"]
