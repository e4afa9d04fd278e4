"""The host console in headless Chromium: log in, go live, pin, launch a deal, see an order arrive."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from livestream import services
from tests.accounts.factories import buyer_create
from tests.browser import chromium_driver, chromium_quit, click_and_wait
from tests.livestream.factories import approved_item, buyer_with_deal_cart, checkout, claim_for, make_world

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def browser():
    driver = chromium_driver()
    yield driver
    chromium_quit(driver)


def text_becomes(browser, element_id, expected, timeout=10):
    WebDriverWait(browser, timeout).until(lambda b: expected in b.find_element(By.ID, element_id).text)


def test_host_runs_a_session_from_the_console(browser, live_server, customs_rules):
    from livestream.models import FlashDeal

    host, session, variant = make_world()
    item = approved_item(host, session, variant)

    browser.get(f"{live_server.url}/accounts/login/?next=/live/console/sessions/{session.pk}/")
    browser.find_element(By.NAME, "username").send_keys(host.user.username)
    browser.find_element(By.NAME, "password").send_keys("pass-word-123")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert session.title in browser.find_element(By.TAG_NAME, "h1").text

    browser.find_element(By.ID, "go-live").click()
    text_becomes(browser, "status", "live")
    Select(browser.find_element(By.ID, "lineup")).select_by_value(str(item.pk))
    browser.find_element(By.ID, "pin").click()
    text_becomes(browser, "pinned", variant.product.name)
    browser.find_element(By.ID, "deal-price").send_keys("59.00")
    browser.find_element(By.ID, "deal-cap").send_keys("5")
    browser.find_element(By.ID, "launch").click()
    text_becomes(browser, "deals", "5 left")
    deal = FlashDeal.objects.get(session=session)

    buyer, address = buyer_with_deal_cart(variant, deal)
    order = checkout(buyer, address, "console-order-1").order
    text_becomes(browser, "orders", order.number)
    text_becomes(browser, "deals", "4 left")
    assert browser.find_element(By.ID, "order-count").text == "1"
    text_becomes(browser, "deals", "0 held in checkout · 1 of 5 sold")

    # A buyer's claim shows as held; a deal announced 90 s ahead counts down on the server's clock; a deal
    # whose units are all claimed shows sold out
    claim_for(buyer_create(), deal, variant)
    text_becomes(browser, "deals", "1 held in checkout · 1 of 5 sold")
    assert f"size {variant.size_label}: 3 left" in browser.find_element(By.ID, "deals").text  # units left per size
    text_becomes(browser, "deals", "3 left")
    browser.find_element(By.ID, "deal-price").clear()
    browser.find_element(By.ID, "deal-price").send_keys("49.00")
    browser.find_element(By.ID, "deal-cap").clear()
    browser.find_element(By.ID, "deal-cap").send_keys("1")
    browser.find_element(By.ID, "deal-lead").clear()
    browser.find_element(By.ID, "deal-lead").send_keys("90")
    browser.find_element(By.ID, "launch").click()
    WebDriverWait(browser, 10).until(lambda b: re.search(r"starts in 1:[23]\d", b.find_element(By.ID, "deals").text))
    upcoming = FlashDeal.objects.exclude(pk=deal.pk).get()
    assert 85 <= (upcoming.starts_at - timezone.now()).total_seconds() <= 91
    first = browser.find_element(By.CSS_SELECTOR, ".upcoming .clock").text
    WebDriverWait(browser, 5).until(lambda b: b.find_element(By.CSS_SELECTOR, ".upcoming .clock").text != first)
    small = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("39.00"),
                                 quantity_cap=1, per_buyer_limit=1, duration_minutes=5)
    claim_for(buyer_create(), small, variant)
    text_becomes(browser, "deals", "SOLD OUT")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".card.sold-out")) == 1
    assert browser.find_element(By.ID, "error").text == ""
    browser.set_window_size(412, 1400)  # a phone held beside the camera (the whole page)
    browser.save_screenshot(str(SCREENS / "host-console.png"))


HOSTILE_NAME = 'Chelsea Boot <img src=x onerror="document.title=\'XSS\'"><script>document.title=\'XSS\'</script>'


def test_a_hostile_product_name_shows_as_text_and_runs_nothing(browser, live_server, customs_rules):
    from decimal import Decimal

    from livestream import services
    from shop.models import Product

    host, session, variant = make_world()
    Product.objects.filter(pk=variant.product_id).update(name=HOSTILE_NAME)  # as manufacturer staff could
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)
    deal = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("59.00"),
                                quantity_cap=5, per_buyer_limit=1, duration_minutes=30)
    buyer, address = buyer_with_deal_cart(variant, deal)
    order = checkout(buyer, address, "hostile-order-1").order  # the order feed carries the name's snapshot

    browser.get(f"{live_server.url}/accounts/login/?next=/live/console/sessions/{session.pk}/")
    browser.find_element(By.NAME, "username").send_keys(host.user.username)
    browser.find_element(By.NAME, "password").send_keys("pass-word-123")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    title = browser.title
    text_becomes(browser, "deals", "4 left")
    text_becomes(browser, "orders", order.number)

    deals = browser.find_element(By.ID, "deals")
    orders = browser.find_element(By.ID, "orders")
    assert '<img src=x onerror="document.title=\'XSS\'">' in deals.text
    assert "<script>" in orders.text
    assert deals.find_elements(By.TAG_NAME, "img") == [] and deals.find_elements(By.TAG_NAME, "script") == []
    assert orders.find_elements(By.TAG_NAME, "img") == [] and orders.find_elements(By.TAG_NAME, "script") == []
    assert browser.title == title and "XSS" not in browser.title
    # The Content-Security-Policy refuses inline script outright: a script element added to the page never runs.
    browser.execute_script("const s = document.createElement('script');"
                           "s.textContent = 'document.title = \"XSS\"'; document.body.append(s);")
    assert browser.title == title
