"""Payouts in the admin: a manufacturer's staff see only their manufacturer's payouts, read only; operators
see every payout, live hosts' included; nobody adds, changes or deletes one by hand."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from selenium.webdriver.common.by import By

from payments.models import Payout
from payments.services import payouts as payout_services
from tests.browser import chromium_driver, chromium_quit, click_and_wait
from tests.livestream.factories import buyer_with_deal_cart, checkout, live_deal_create
from tests.payments.factories import order_pay
from tests.shop.factories import MembershipFactory, UserFactory, priced_variant

LIST = "/admin/payments/payout/"


def payouts_of_two_makers_and_a_host():
    """A live-deal order (a manufacturer and the host paid) and another manufacturer's order."""
    host, _session, variant, deal = live_deal_create(cap=5)
    buyer, address = buyer_with_deal_cart(variant, deal)
    deal_order = order_pay(checkout(buyer, address, "admin-payout-deal").order)
    from tests.orders.factories import order_placed

    other_order = order_pay(order_placed([(priced_variant(stock=5), 1)], key="admin-payout-other"))
    payout_services.payouts_create_due(now=timezone.now() + dt.timedelta(hours=73))
    return host, variant.product.manufacturer, deal_order, other_order


@pytest.mark.django_db
def test_staff_see_only_their_manufacturers_payouts_and_nobody_edits_one(client):
    host, maker, deal_order, other_order = payouts_of_two_makers_and_a_host()
    assert Payout.objects.count() == 3
    staff = MembershipFactory(manufacturer=maker).user
    client.force_login(staff)
    page = client.get(LIST)
    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == list(Payout.objects.filter(manufacturer=maker))
    theirs = Payout.objects.get(order=other_order)
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code == 302  # not found for them: back to the index
    mine = Payout.objects.get(order=deal_order, manufacturer=maker)
    own_page = client.get(f"{LIST}{mine.pk}/change/")
    assert own_page.status_code == 200 and b'name="amount"' not in own_page.content  # shown, not editable
    assert client.post(f"{LIST}{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{LIST}add/").status_code == 403
    assert Payout.objects.count() == 3

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    everything = client.get(LIST)
    assert {p.pk for p in everything.context["cl"].queryset} == set(Payout.objects.values_list("pk", flat=True))
    assert f"live host @{host.handle}" in everything.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_a_manufacturer_reads_its_payouts_in_the_browser(live_server):
    _host, maker, deal_order, _other = payouts_of_two_makers_and_a_host()
    MembershipFactory(manufacturer=maker, user__username="payout_staff")
    browser = chromium_driver()
    try:
        browser.get(f"{live_server.url}/admin/login/")
        browser.find_element(By.NAME, "username").send_keys("payout_staff")
        browser.find_element(By.NAME, "password").send_keys("pass-word-123")
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
        browser.get(f"{live_server.url}{LIST}")
        listing = browser.find_element(By.ID, "result_list").text
        assert deal_order.number in listing and "live host" not in listing
        browser.set_window_size(1440, 520)
        browser.save_screenshot(str(Path(settings.BASE_DIR) / "docs" / "screens" / "admin-payouts.png"))
    finally:
        chromium_quit(browser)
