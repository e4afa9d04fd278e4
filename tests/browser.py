"""Headless Chromium for end-to-end tests of server-rendered pages (admin, host console)."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest


def chromium_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        if os.environ.get("CI"):
            pytest.fail("Chromium and chromedriver must be installed in CI (devtools/test.sh installs them).")
        pytest.skip("Chromium/chromedriver not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    profile = tempfile.mkdtemp(prefix="livedock-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1280,1000", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(5)
    driver._livedock_profile = profile
    return driver


def chromium_quit(driver) -> None:
    driver.quit()
    shutil.rmtree(driver._livedock_profile, ignore_errors=True)


def click_and_wait(driver, element, timeout: float = 10) -> None:
    """Click something that loads a new page and wait until the old page is gone."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    old_page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, timeout).until(expected_conditions.staleness_of(old_page))
