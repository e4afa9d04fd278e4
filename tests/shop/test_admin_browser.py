"""The manufacturer's admin flow in a real headless Chromium: log in, list, edit, import, translate."""

from pathlib import Path

import pytest
from django.conf import settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from shop.models import Product, ProductTranslation, StockLevel
from tests.browser import chromium_driver, chromium_quit, click_and_wait
from tests.shop.factories import (
    BrandFactory,
    MembershipFactory,
    WarehouseFactory,
    category_create,
    priced_variant,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENS = Path(settings.BASE_DIR) / "docs" / "screens"


@pytest.fixture
def browser():
    driver = chromium_driver()
    yield driver
    chromium_quit(driver)


def log_in(browser, live_server, username: str) -> None:
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("pass-word-123")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert "Site administration" in browser.title


def test_manufacturer_staff_logs_in_lists_edits_and_imports(browser, live_server, tmp_path):
    category_create("shoes")
    own = MembershipFactory(user__username="ouhai_staff")
    other = MembershipFactory()
    brand = BrandFactory(manufacturer=own.manufacturer, name="Ouhai Heritage")
    mine = priced_variant(product__manufacturer=own.manufacturer, product__brand=brand,
                          product__name="Chelsea Boot", sku="OH-CH-42").product
    theirs = priced_variant(product__manufacturer=other.manufacturer, product__name="Rival Sneaker").product
    WarehouseFactory(manufacturer=own.manufacturer, code="oh-de")

    log_in(browser, live_server, "ouhai_staff")

    # List: only own products
    browser.get(f"{live_server.url}/admin/shop/product/")
    listing = browser.find_element(By.ID, "result_list").text
    assert "Chelsea Boot" in listing
    assert "Rival Sneaker" not in listing

    # Edit
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Chelsea Boot"))
    name = browser.find_element(By.NAME, "name")
    name.clear()
    name.send_keys("Chelsea Boot II")
    click_and_wait(browser, browser.find_element(By.NAME, "_save"))
    assert "was changed successfully" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    mine.refresh_from_db()
    assert mine.name == "Chelsea Boot II"

    # Import stock: dry run shows the preview, confirm writes it
    upload = tmp_path / "stock.csv"
    upload.write_text("sku,warehouse,on_hand\nOH-CH-42,oh-de,25\n")
    browser.get(f"{live_server.url}/admin/shop/stocklevel/import/")
    browser.find_element(By.NAME, "import_file").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "select[name=format] option[value='0']").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert "OH-CH-42" in browser.find_element(By.ID, "content").text
    assert not StockLevel.objects.filter(warehouse__code="oh-de").exists()
    click_and_wait(browser, browser.find_element(By.NAME, "confirm"))
    assert "Import finished" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert StockLevel.objects.get(warehouse__code="oh-de").on_hand == 25

    # The other manufacturer's product is not reachable by URL either
    browser.get(f"{live_server.url}/admin/shop/product/{theirs.pk}/change/")
    assert "Rival Sneaker" not in browser.page_source
    assert Product.objects.get(pk=theirs.pk).name == "Rival Sneaker"


def test_factory_staff_translate_a_product_and_see_which_languages_are_missing(browser, live_server):
    category_create("boots")
    own = MembershipFactory(user__username="ouhai_translator")
    brand = BrandFactory(manufacturer=own.manufacturer, name="Ouhai Heritage")
    boot = priced_variant(product__manufacturer=own.manufacturer, product__brand=brand, product__name="Chelsea Boot",
                          product__name_zh="瓯海切尔西靴", product__description="Cow leather upper.").product
    log_in(browser, live_server, "ouhai_translator")

    browser.get(f"{live_server.url}/admin/shop/product/")
    row = browser.find_element(By.ID, "result_list").text
    assert "de fr es it ja ko" in row

    browser.get(f"{live_server.url}/admin/shop/product/{boot.pk}/change/")
    browser.find_element(By.CSS_SELECTOR, "#translations-group .add-row a").click()
    Select(browser.find_element(By.NAME, "translations-0-language")).select_by_value("de")
    browser.find_element(By.NAME, "translations-0-name").send_keys("Chelsea-Stiefel")
    browser.find_element(By.NAME, "translations-0-description").send_keys("Obermaterial aus Rindsleder.")
    click_and_wait(browser, browser.find_element(By.NAME, "_continue"))
    assert "was changed successfully" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    group = browser.find_element(By.ID, "translations-group")
    browser.execute_script("arguments[0].scrollIntoView();", group)
    browser.save_screenshot(str(SCREENS / "admin-product-translations.png"))

    saved = ProductTranslation.objects.get(product=boot)
    assert (saved.language, saved.name, saved.description) == ("de", "Chelsea-Stiefel", "Obermaterial aus Rindsleder.")
    browser.get(f"{live_server.url}/admin/shop/product/")
    row = browser.find_element(By.ID, "result_list").text
    assert "fr es it ja ko" in row and "de fr" not in row
    browser.save_screenshot(str(SCREENS / "admin-missing-translations.png"))
