"""The claim answered in front of Django (livestream/asgi.py) through the ASGI application we serve: the
same answers as the DRF view for the same requests, and everything it does not judge handed to Django with
the body intact."""

import json

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from livestream.models import DealClaim
from tests.accounts.factories import buyer_create, client_for
from tests.asgi import Answer, asgi_request
from tests.livestream.factories import live_deal_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("customs_rules")]


def asgi_post(path: str, body: bytes, headers: dict[str, str], chunk: int | None = None) -> Answer:
    """One POST through the served ASGI application, the body sent in chunks of `chunk` bytes if given."""
    return asgi_request(application, "POST", path, body=body, headers=headers, chunk=chunk)


def bearer(buyer) -> dict[str, str]:
    return {"Authorization": f"Bearer {AccessToken.for_user(buyer)}", "Content-Type": "application/json"}


def claim_path(deal) -> str:
    return f"/api/v1/live/deals/{deal.pk}/claims/"


def test_a_claim_is_answered_as_the_drf_view_answers_it():
    _host, _session, variant, deal = live_deal_create(cap=5)
    fast_buyer, drf_buyer = buyer_create(), buyer_create()
    body = json.dumps({"sku": variant.sku, "quantity": 1}).encode()

    fast = asgi_post(claim_path(deal), body, {**bearer(fast_buyer), "Idempotency-Key": "fast-claim-1",
                                              "X-Request-ID": "req-claim-12345678"})
    drf = client_for(drf_buyer).post(claim_path(deal), {"sku": variant.sku, "quantity": 1}, format="json",
                                     HTTP_IDEMPOTENCY_KEY="drf-claim-1")

    assert (fast.status, drf.status_code) == (201, 201)
    mine, theirs = fast.json(), drf.json()
    assert set(mine) == set(theirs) == {"id", "deal", "sku", "quantity", "status", "expires_at", "seconds_left"}
    assert {k: mine[k] for k in ("deal", "sku", "quantity", "status")} == {
        k: theirs[k] for k in ("deal", "sku", "quantity", "status")} == {
        "deal": deal.pk, "sku": variant.sku, "quantity": 1, "status": "active"}
    assert mine["expires_at"].endswith("Z") and theirs["expires_at"].endswith("Z")
    assert DealClaim.objects.get(pk=mine["id"]).buyer_id == fast_buyer.pk
    assert fast.headers["x-request-id"] == "req-claim-12345678"
    for header in ("content-type", "content-security-policy", "cache-control", "x-content-type-options",
                   "referrer-policy", "cross-origin-opener-policy", "x-frame-options"):
        assert fast.headers[header] == drf.headers[header], header


def test_repeats_refusals_and_limits_in_the_one_error_shape():
    _host, _session, variant, deal = live_deal_create(cap=1)
    first, second = buyer_create(), buyer_create()
    body = json.dumps({"sku": variant.sku}).encode()

    made = asgi_post(claim_path(deal), body, {**bearer(first), "Idempotency-Key": "first-claim-1"})
    again = asgi_post(claim_path(deal), body, {**bearer(first), "Idempotency-Key": "first-claim-1"})
    over = asgi_post(claim_path(deal), body, {**bearer(first), "Idempotency-Key": "first-claim-2"})
    late = asgi_post(claim_path(deal), body, {**bearer(second), "Idempotency-Key": "second-claim-1"})
    other_body = asgi_post(claim_path(deal), json.dumps({"sku": variant.sku, "quantity": 2}).encode(),
                           {**bearer(first), "Idempotency-Key": "first-claim-1"})
    no_key = asgi_post(claim_path(deal), body, bearer(second))
    unknown = asgi_post("/api/v1/live/deals/999999/claims/", body, {**bearer(second), "Idempotency-Key": "nodeal-1"})

    assert (made.status, again.status, again.headers.get("idempotent-replayed")) == (201, 201, "true")
    assert again.json()["id"] == made.json()["id"] and "idempotent-replayed" not in made.headers
    assert (over.status, over.json()["error"]["code"]) == (409, "deal_limit_reached")
    assert (late.status, late.json()["error"]["code"]) == (409, "deal_sold_out")
    assert (other_body.status, other_body.json()["error"]["code"]) == (409, "idempotency_key_reused")
    assert (no_key.status, no_key.json()["error"]["code"]) == (400, "idempotency_key_invalid")
    assert (unknown.status, unknown.json()["error"]["code"]) == (404, "not_found")
    assert set(late.json()["error"]) >= {"code", "message", "fields"}
    assert DealClaim.objects.count() == 1  # nothing but the one claim was written


def test_what_the_fast_path_does_not_judge_django_answers_with_the_body_intact():
    _host, _session, variant, deal = live_deal_create(cap=5, per_buyer_limit=5)
    buyer = buyer_create()
    headers = {**bearer(buyer), "Idempotency-Key": "django-judges-1"}

    drf = APIClient()
    for body, request_headers in (
            (b'{"sku": "x"}', {"Content-Type": "application/json"}),  # no token
            (b'{"sku": "x"}', {**headers, "Authorization": "Bearer not.a.token"}),
            (b'{"sku": ', headers),  # not JSON
            (b"[" * 3000 + b"]" * 3000, headers),  # nested deeper than the parser allows
            (json.dumps({"sku": variant.sku, "quantity": "many"}).encode(), headers),
            (json.dumps({"sku": variant.sku}).encode(), {**headers, "Content-Type": "text/plain"}),
    ):
        answer = asgi_post(claim_path(deal), body, request_headers)
        drf.credentials(**{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request_headers.items()
                           if k != "Content-Type"})
        expected = drf.post(claim_path(deal), body, content_type=request_headers["Content-Type"])
        assert 400 <= answer.status < 500 and (answer.status, answer.json()) == (expected.status_code, expected.json())
    assert asgi_post(claim_path(deal), b'{"sku": "x"}', {"Content-Type": "application/json"}).json()["error"][
        "code"] == "not_authenticated"
    assert not DealClaim.objects.exists()

    # A body bigger than the fast path reads, sent in pieces, and a string quantity DRF accepts: Django's
    padded = json.dumps({"sku": variant.sku, "quantity": "2", "note": "x" * 6000}).encode()
    big = asgi_post(claim_path(deal), padded, {**headers, "Idempotency-Key": "django-judges-2"}, chunk=1000)
    assert (big.status, big.json()["quantity"]) == (201, 2)
    # A browser's request (CORS is Django's) is claimed through Django too
    browser = asgi_post(claim_path(deal), json.dumps({"sku": variant.sku}).encode(),
                        {**headers, "Idempotency-Key": "django-judges-3", "Origin": "https://shop.example"})
    assert browser.status == 201
    assert sorted(DealClaim.objects.values_list("quantity", flat=True)) == [1, 2]


def test_behind_the_tls_proxy_plain_http_goes_to_django_and_https_answers_carry_hsts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = 3600, True
    _host, _session, variant, deal = live_deal_create(cap=5, per_buyer_limit=2)
    buyer = buyer_create()
    body = json.dumps({"sku": variant.sku}).encode()

    plain = asgi_post(claim_path(deal), body, {**bearer(buyer), "Idempotency-Key": "plain-http-1"})
    secure = asgi_post(claim_path(deal), body, {**bearer(buyer), "Idempotency-Key": "behind-tls-1",
                                                "X-Forwarded-Proto": "https"})

    # Plain HTTP is left to Django, whose SecurityMiddleware redirects it (configured when the application was
    # built, here without the redirect: the DRF view answered, as its Allow header shows); HTTPS is answered here.
    assert "allow" in plain.headers and "strict-transport-security" not in plain.headers
    assert secure.status == 201 and "allow" not in secure.headers
    assert secure.headers["strict-transport-security"] == "max-age=3600; includeSubDomains"
    assert DealClaim.objects.count() == 2
