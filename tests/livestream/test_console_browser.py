"""The host console in headless Chromium: log in, go live, pin, launch a deal, see an order arrive."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser import chromium_driver, chromium_quit, click_and_wait
from tests.livestream.test_deals import approved_item, buyer_with_deal_cart, checkout, make_world

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
    assert browser.find_element(By.ID, "error").text == ""
