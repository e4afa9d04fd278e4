"""The audit trail: who changed prices and counted stock, when, before and after; operators only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from shop.models import Price, PriceEvent, StockLevel
from tests.shop.factories import MembershipFactory, UserFactory, priced_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_variant():
    membership = MembershipFactory(user__username="audit_staff")
    variant = priced_variant(amount="100.00", stock=10, product__manufacturer=membership.manufacturer, sku="AUD-1")
    return membership.user, variant


def events_for(obj):
    return list(AuditEvent.objects.filter(pgh_obj_model=obj._meta.label,
                                          pgh_obj_id=str(obj.pk)).order_by("pgh_created_at", "pgh_id"))


def test_a_price_change_in_the_admin_records_who_before_and_after(client, staff_variant):
    user, variant = staff_variant
    price = variant.prices.get()
    client.force_login(user)
    response = client.post(reverse("admin:shop_price_change", args=[price.pk]),
                           {"variant": variant.pk, "currency": "USD", "amount": "89.50"},
                           HTTP_X_REQUEST_ID="price-edit-000001")
    assert response.status_code == 302, response.content[:500]
    assert Price.objects.get(pk=price.pk).amount == Decimal("89.50")

    created, updated = events_for(price)
    assert created.pgh_label == "insert" and created.user is None  # made by the factory, outside a request
    assert updated.pgh_label == "update"
    assert updated.pgh_diff == {"amount": [100.0, 89.5]}  # the diff is display only; the rows keep Decimals
    snapshots = PriceEvent.objects.filter(pgh_obj=price).order_by("pgh_id")
    assert [e.amount for e in snapshots] == [Decimal("100.000"), Decimal("89.500")]
    assert (updated.user, updated.url, updated.request_id) == (user, f"/admin/shop/price/{price.pk}/change/",
                                                               "price-edit-000001")

    # Saving the form unchanged writes no event; neither does any read.
    client.post(reverse("admin:shop_price_change", args=[price.pk]),
                {"variant": variant.pk, "currency": "USD", "amount": "89.50"})
    client.get(reverse("admin:shop_price_changelist"))
    assert len(events_for(price)) == 2


def test_counted_stock_is_audited_but_reservations_are_not(client, staff_variant):
    user, variant = staff_variant
    level = variant.stock_levels.get()
    client.force_login(user)
    response = client.post(reverse("admin:shop_stocklevel_change", args=[level.pk]),
                           {"variant": variant.pk, "warehouse": level.warehouse_id, "on_hand": 7})
    assert response.status_code == 302, response.content[:500]
    StockLevel.objects.filter(pk=level.pk).update(reserved=3)  # what a checkout does
    events = events_for(level)
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[1].pgh_diff == {"on_hand": [10, 7]} and events[1].user == user


def test_only_operators_read_the_audit_trail(client, staff_variant):
    user, variant = staff_variant
    url = reverse("admin:audit_auditevent_changelist")
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert "auditevent" not in client.get(reverse("admin:index")).content.decode()

    client.force_login(UserFactory(username="audit_operator", is_staff=True, is_superuser=True))
    page = client.get(url)
    assert page.status_code == 200
    assert "shop.Price" in page.content.decode()
    assert client.post(reverse("admin:audit_auditevent_changelist"), {"action": "delete_selected",
                                                                        "_selected_action": ["1"]}).status_code in (
        200, 302, 403)
    assert AuditEvent.objects.filter(pgh_obj_model="shop.Price").count() == 1  # nothing can delete history
