"""Swagger UI at /api/docs/: served from our own static files under a Content-Security-Policy that allows only
this origin, and it works in a browser that can reach nothing else."""

import base64
import hashlib
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from config.middleware import API_DOCS_CONTENT_SECURITY_POLICY
from tests.browser import chromium_driver, chromium_quit

DOCS_POLICY = ("default-src 'none'; script-src 'self'; "
               "style-src 'self' 'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='; img-src 'self' data:; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


@pytest.mark.django_db
def test_the_docs_page_loads_everything_from_this_origin_under_a_strict_policy(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert page["Content-Security-Policy"] == API_DOCS_CONTENT_SECURITY_POLICY == DOCS_POLICY
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources == ["/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
                       "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
                       "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
                       "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
                       "/api/docs/?script="]
    assert "<script>" not in html  # every script is a file of ours
    # The one inline style block is the one the policy's hash allows.
    [style] = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in DOCS_POLICY

    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"] == "application/javascript"
    assert script["Content-Security-Policy"] == DOCS_POLICY
    assert 'url: "/api/schema/"' in script.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_every_operation_with_nothing_refused_and_nothing_fetched_elsewhere(live_server):
    driver = chromium_driver()
    try:
        # Recorded from before the page's first script runs; the policy does not apply to this one.
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
            "window.refused = []; document.addEventListener('securitypolicyviolation', "
            "e => window.refused.push(e.violatedDirective + ' ' + e.blockedURI));")})
        driver.get(f"{live_server.url}/api/docs/")
        WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) > 40)
        assert "Livedock API" in driver.find_element(By.CSS_SELECTOR, ".info .title").text
        assert driver.execute_script("return window.refused") == []
        fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and all(url.startswith(live_server.url + "/") for url in fetched), fetched
        assert f"{live_server.url}/api/schema/" in fetched
    finally:
        chromium_quit(driver)
