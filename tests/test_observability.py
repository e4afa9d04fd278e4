"""Request ids in responses, logs and Celery tasks; CORS and security headers; the metrics endpoint."""

import logging
import re
import threading

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from orders import tasks  # noqa: F401 - the in-process worker runs the project's tasks
from orders.models import Order, OrderStatus
from payments.models import Refund
from tests.accounts.factories import client_for
from tests.helpers import wait_for
from tests.orders.factories import buyer_with_cart
from tests.payments.helpers import pay_with, payment_ready
from tests.shop.factories import UserFactory, priced_variant

CATALOG = "/api/v1/catalog/products/"


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_sane_caller_id_is_kept(client):
    generated = client.get(CATALOG)
    assert re.fullmatch(r"[0-9a-f]{32}", generated["X-Request-ID"])
    assert client.get(CATALOG)["X-Request-ID"] != generated["X-Request-ID"]
    assert client.get(CATALOG, HTTP_X_REQUEST_ID="lb-7f3a9c21")["X-Request-ID"] == "lb-7f3a9c21"
    # Free text (log injection) or an absurd length is replaced, never echoed.
    for hostile in ("abc\nINFO forged line", "x" * 200, "short"):
        echoed = client.get(CATALOG, HTTP_X_REQUEST_ID=hostile)["X-Request-ID"]
        assert echoed != hostile and re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert client.get("/api/v1/nowhere/", HTTP_X_REQUEST_ID="lb-404-00001")["X-Request-ID"] == "lb-404-00001"


@pytest.mark.django_db
def test_the_access_log_line_carries_the_request_id_route_and_status(client, settings, caplog):
    settings.LIVEDOCK_ACCESS_LOG = True
    with caplog.at_level(logging.INFO, logger="livedock.request"):
        client.get(CATALOG, HTTP_X_REQUEST_ID="trace-00000042")
    [record] = [r for r in caplog.records if r.name == "livedock.request"]
    assert record.request_id == "trace-00000042"
    assert (record.method, record.route, record.status) == ("GET", "/api/v1/catalog/products/", 200)
    assert record.duration_ms > 0
    # A thread serving nothing (a fresh context) logs with empty ids, never another request's.
    outside = []
    thread = threading.Thread(target=lambda: outside.append(
        logging.getLogger("livedock.test").makeRecord("livedock.test", logging.INFO, __file__, 1, "x", (), None)))
    thread.start()
    thread.join()
    assert (outside[0].request_id, outside[0].task) == ("", "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("rates", "customs_rules")
def test_the_request_id_follows_the_refund_into_the_worker_logs_and_audit_trail(celery_worker, live_server, settings,
                                                           _stripe_settings, caplog):
    from devtools import stripe_local

    stripe_local.register_webhook(_stripe_settings, "app", live_server.url + reverse("payments:stripe-webhook"),
                                  settings.STRIPE_WEBHOOK_SECRET)
    try:
        variant = priced_variant(amount="50.00", stock=3)
        buyer, address = buyer_with_cart([(variant, 1)])
        client = client_for(buyer)
        body = client.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                           HTTP_IDEMPOTENCY_KEY="trace-checkout-1").json()
        order = Order.objects.get(number=body["number"])
        pay_with(payment_ready(client, order.number)["intent_id"])
        wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID)

        operator_user = UserFactory(is_staff=True, is_superuser=True)
        operator = client_for(operator_user)
        with caplog.at_level(logging.INFO, logger="orders.tasks"):
            response = operator.post(reverse("payments:operator-refund", args=[order.number]),
                                     {"reason": "Trace me", "full": True}, format="json",
                                     HTTP_X_REQUEST_ID="support-ticket-4711", HTTP_IDEMPOTENCY_KEY="refund-trace-me")
            assert response.status_code == 202
            assert response["X-Request-ID"] == "support-ticket-4711"
            wait_for(lambda: Refund.objects.get(order=order).status == "succeeded")
            refund = Refund.objects.get(order=order)
            lines = wait_for(lambda: [r for r in caplog.records if r.getMessage() == f"refund {refund.pk}: succeeded"])
    finally:
        stripe_local.register_webhook(_stripe_settings, "app", "http://127.0.0.1:9/", "muted")
    assert [(r.request_id, r.task) for r in lines] == [("support-ticket-4711", "payments.execute_refund")]
    # The audit trail ties the refund's rows to the same request: created by the operator's request, then
    # completed by the worker's task.
    events = AuditEvent.objects.filter(pgh_obj_model="payments.Refund", pgh_obj_id=str(refund.pk)).order_by("pgh_id")
    trail = [(e.pgh_label, e.user_id, e.url, e.task, e.request_id) for e in events]
    assert trail[0] == ("insert", operator_user.pk, reverse("payments:operator-refund", args=[order.number]), None,
                        "support-ticket-4711")
    assert {row[1:] for row in trail[1:]} == {(None, None, "payments.execute_refund", "support-ticket-4711")}
    assert events.last().pgh_diff["status"][1] == "succeeded"


@pytest.mark.django_db
def test_cors_allows_only_the_configured_storefront_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://shop.example.com"]
    allowed = client.options(CATALOG, HTTP_ORIGIN="https://shop.example.com",
                             HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                             HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")
    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "authorization" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in allowed  # bearer tokens, never cookies, cross origins
    simple = client.get(CATALOG, HTTP_ORIGIN="https://shop.example.com")
    assert simple["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "X-Request-ID" in simple["Access-Control-Expose-Headers"]

    for origin in ("https://evil.example.net", "https://shop.example.com.evil.net", "null"):
        refused = client.get(CATALOG, HTTP_ORIGIN=origin)
        assert "Access-Control-Allow-Origin" not in refused
    # Outside the API (admin), no CORS at all even for the storefront.
    assert "Access-Control-Allow-Origin" not in client.get("/admin/login/", HTTP_ORIGIN="https://shop.example.com")


@pytest.mark.django_db
@pytest.mark.usefixtures("rates", "customs_rules")
def test_security_headers_on_api_and_admin(client):
    api = client.get(CATALOG)
    assert api["X-Content-Type-Options"] == "nosniff"
    assert api["Referrer-Policy"] == "same-origin"
    assert api["Cross-Origin-Opener-Policy"] == "same-origin"
    assert api["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert api["Cache-Control"] == "public, max-age=0, s-maxage=1"  # public catalog: a CDN may keep it a second
    admin = client.get("/admin/login/")
    assert admin["X-Frame-Options"] == "DENY"
    admin_policy = admin["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-hashes' 'sha256-" in admin_policy  # static files and one hashed handler
    assert "'unsafe-inline'" not in admin_policy.split("script-src")[1].split(";")[0]
    console = client.get("/accounts/login/")
    assert console["Content-Security-Policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

    buyer, _ = buyer_with_cart([(priced_variant(), 1)])
    private = client_for(buyer).get(reverse("orders:cart"))
    assert private.status_code == 200
    assert private["Cache-Control"] == "private, no-store"
    client.force_login(buyer)  # signed in by the session cookie instead of a token
    by_session = client.get(reverse("orders:cart"))
    assert by_session.status_code == 200
    assert by_session["Cache-Control"] == "private, no-store" and "Cookie" in by_session["Vary"]


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        metric, _, value = line.rpartition(" ")
        if metric.split("{")[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', metric))
        if found == labels:
            return float(value)
    return None


def series(text: str) -> dict[str, float]:
    """Every sample of a scrape, by its name and labels."""
    return {line.rpartition(" ")[0]: float(line.rpartition(" ")[2]) for line in text.splitlines()
            if line and not line.startswith("#")}


def counted(before: str, after: str, name: str, **labels) -> float:
    return (sample(after, name, **labels) or 0) - (sample(before, name, **labels) or 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("rates", "customs_rules")
def test_metrics_count_requests_refusals_reservations_and_read_state(client, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.LIVEDOCK_METRICS_TOKEN = "scrape-secret-123"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").json()["error"]["code"] == "not_authenticated"
    auth = {"HTTP_AUTHORIZATION": "Bearer scrape-secret-123"}
    before = scrape(client, **auth)  # this process counts for the whole test session

    variant = priced_variant(amount="80.00", stock=3)
    client.get(CATALOG)
    client.get(CATALOG)
    buyer, address = buyer_with_cart([(variant, 2)])
    api = client_for(buyer)
    with django_capture_on_commit_callbacks(execute=True):  # counted only once the order commits
        assert api.post(reverse("orders:checkout"), {"address_id": address.pk}, format="json",
                        HTTP_IDEMPOTENCY_KEY="metrics-checkout-1").status_code == 201
    refused = api.post(reverse("orders:cart-line-list"), {"variant": variant.sku, "quantity": 2}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "insufficient_stock"

    text = scrape(client, **auth)
    route = "/api/v1/catalog/products/"
    assert counted(before, text, "livedock_http_requests_total", method="GET", route=route, status="200") == 2
    assert counted(before, text, "livedock_http_request_duration_seconds_count", method="GET", route=route) == 2
    assert counted(before, text, "livedock_http_request_duration_seconds_bucket", method="GET", route=route,
                   le="+Inf") == 2
    assert counted(before, text, "livedock_stock_reservations_total", source="storefront") == 2
    assert counted(before, text, "livedock_oversell_refusals_total", code="insufficient_stock") == 1
    assert sample(text, "livedock_orders", status="pending_payment") == 1
    assert sample(text, "livedock_stock_units", kind="reserved") == 2
    assert sample(text, "livedock_stock_units", kind="on_hand") == 3
    assert "route=\"/metrics\"" not in text  # the scraper is not counted


@pytest.mark.django_db
def test_invented_http_methods_add_no_metric_series(client):
    """A method outside the closed set is counted as "other": 200 invented ones make one series, not 200."""
    client.generic("PROBEMETHOD0", CATALOG)
    before = scrape(client)
    for i in range(1, 201):
        assert client.generic(f"PROBEMETHOD{i}", CATALOG).status_code == 405
    after = scrape(client)
    assert set(series(after)) == set(series(before))
    assert not any("PROBEMETHOD" in key for key in series(after))
    assert counted(before, after, "livedock_http_requests_total", method="other", route=CATALOG, status="405") == 200
