"""The live-deal claim served straight on the ASGI server, in front of Django.

A deal's launch sends thousands of taps in the same seconds. Through Django and DRF each claim held the
process's one thread for database work for its whole run (middleware, view, gate, INSERT), so a worker
answered one claim at a time. Here a claim that is well-formed and signed in with a bearer token is
answered by the same service (`services.deal_claim`) run on a small pool of threads, so the waits on Redis
and PostgreSQL of many claims overlap while the event loop keeps reading requests.

Everything else goes to Django unchanged, with the body already read handed on: a request without a
bearer token or with an invalid one, from a browser (an Origin header: CORS is Django's), with a body that
is not a small JSON object of the expected fields. So refusals of bad input keep DRF's exact wording, and
the OpenAPI schema of `claim_apis.DealClaimApi` describes both. What this path does itself, like the
middleware it skips: the request id (echoed and logged), the access log line and request metrics, the
security headers of API answers, and the one error shape (config.errors.error_answer).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from config import metrics, observability
from config.errors import error_answer, error_body
from config.idempotency import idempotency_key_checked
from config.middleware import API_CONTENT_SECURITY_POLICY
from shop import selectors as shop_selectors

from . import services

log = logging.getLogger("livedock.request")

CLAIM_PATH = re.compile(r"^/api/v1/live/deals/([0-9]{1,18})/claims/$")
CLAIM_ROUTE = "/api/v1/live/deals/<int:deal_id>/claims/"  # the URL pattern's name in metrics, as Django's
MAX_BODY = 4096  # a claim is a few dozen bytes; anything bigger is Django's to refuse
SKU_MAX = 64
QUANTITY_MAX = 100
# Security headers of every API answer (SecurityMiddleware's and ours, config/middleware.py).
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-security-policy", API_CONTENT_SECURITY_POLICY.encode()),
    (b"cache-control", b"private, no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]

_authenticator = JWTStatelessUserAuthentication()
_pool: ThreadPoolExecutor | None = None


def _threads() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:  # made in the serving process, after the server forked it
        _pool = ThreadPoolExecutor(settings.LIVEDOCK_CLAIM_THREADS, thread_name_prefix="claims")
    return _pool


def claims_first(django_app):
    """Wrap the Django ASGI application: claims answered here, every other request passed on."""

    async def application(scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "POST":
            match = CLAIM_PATH.match(scope["path"])
            if match is not None:
                await _claim(scope, receive, send, int(match[1]), django_app)
                return
        await django_app(scope, receive, send)

    return application


async def _claim(scope, receive, send, deal_id: int, django_app) -> None:
    started = time.perf_counter()
    headers = _headers(scope)
    body, more, whole = await _body(receive)
    request = _claim_request(scope.get("scheme", "http"), headers, body) if whole else None
    if request is None:  # not ours to judge: Django answers, with the body it would have read itself
        await django_app(scope, _replaying(body, more, receive), send)
        return
    buyer_id, sku, quantity, raw_key = request
    request_id = observability.new_request_id(headers.get("x-request-id"))
    context = contextvars.copy_context()
    context.run(observability.bind_request_id, request_id)
    call = functools.partial(context.run, _claim_made, buyer_id=buyer_id, deal_id=deal_id, sku=sku,
                             quantity=quantity, raw_key=raw_key)
    status, answer, extra_headers = await asyncio.get_running_loop().run_in_executor(_threads(), call)
    if settings.SECURE_HSTS_SECONDS and _secure(scope.get("scheme", "http"), headers):
        extra_headers = {**extra_headers, "Strict-Transport-Security": _hsts()}
    await _respond(send, status, answer, extra_headers, request_id)
    elapsed = time.perf_counter() - started
    if settings.LIVEDOCK_ACCESS_LOG:
        context.run(log.info, "POST %s %s", scope["path"], status,
                    extra={"method": "POST", "path": scope["path"], "route": CLAIM_ROUTE, "status": status,
                           "duration_ms": round(elapsed * 1000, 2)})
    metrics.observe_request("POST", CLAIM_ROUTE, status, elapsed)


def _headers(scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1")
        if key in found:  # a repeated header: Django joins them; let it judge
            found[key] = ""
            found["~repeated"] = "1"
        else:
            found[key] = value.decode("latin-1")
    return found


async def _body(receive) -> tuple[bytes, bool, bool]:
    """(what was read, whether more of the body is still to come, whether it is a whole small body): reading
    stops after MAX_BODY bytes, or when the client leaves."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
        if size > MAX_BODY or not more:
            return b"".join(chunks), more, size <= MAX_BODY


def _replaying(body: bytes, more: bool, receive):
    """A receive() that hands Django what was read already, then whatever is still coming."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replay


def _secure(scheme: str, headers: dict[str, str]) -> bool:
    """As Django's request.is_secure(): the proxy's header when SECURE_PROXY_SSL_HEADER names one."""
    if settings.SECURE_PROXY_SSL_HEADER:
        name, value = settings.SECURE_PROXY_SSL_HEADER
        forwarded = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower())
        if forwarded is not None:
            return forwarded.split(",")[0].strip() == value
    return scheme == "https"


def _claim_request(scheme: str, headers: dict[str, str], body: bytes) -> tuple[int, str, int, str] | None:
    """(buyer, sku, quantity, Idempotency-Key) of a claim this path answers, or None for Django to judge."""
    if "~repeated" in headers or "origin" in headers or not _host_allowed(headers.get("host", "")):
        return None
    if settings.SECURE_SSL_REDIRECT and not _secure(scheme, headers):  # Django redirects it to HTTPS
        return None
    if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return None
    scheme, _, raw_token = headers.get("authorization", "").partition(" ")
    if scheme != "Bearer" or not raw_token:
        return None
    try:
        token = _authenticator.get_validated_token(raw_token.encode())
        buyer_id = int(token[jwt_settings.USER_ID_CLAIM])
    except (InvalidToken, TokenError, KeyError, TypeError, ValueError):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    sku, quantity = data.get("sku"), data.get("quantity", 1)
    if not isinstance(sku, str) or not 0 < len(sku) <= SKU_MAX or "\x00" in sku or sku != sku.strip():
        return None
    if type(quantity) is not int or not 1 <= quantity <= QUANTITY_MAX:
        return None
    return buyer_id, sku, quantity, headers.get("idempotency-key", "")


def _hsts() -> str:
    """Strict-Transport-Security as SecurityMiddleware writes it."""
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


def _host_allowed(host: str) -> bool:
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def _claim_made(*, buyer_id: int, deal_id: int, sku: str, quantity: int,
                raw_key: str) -> tuple[int, dict, dict[str, str]]:
    """In a pool thread: the claim through the same service as the DRF view, answered in its shapes."""
    try:
        key = idempotency_key_checked(raw_key)
        variant_id, product_id = shop_selectors.variant_ref_by_sku(sku=sku)
        result = services.deal_claim(buyer_id=buyer_id, deal_id=deal_id, variant_id=variant_id,
                                     product_id=product_id, quantity=quantity, idempotency_key=key)
    except Exception as exc:  # noqa: BLE001 - every failure is answered in the one error shape
        answer = error_answer(exc)
        if answer is None:
            log.exception("claim of deal %s failed", deal_id)
            return 500, error_body("server_error", "An unexpected error occurred."), {}
        return answer
    finally:
        connections.close_all()  # the connection goes back to the process's pool
    claim = result.claim
    seconds_left = max(0, int((claim.expires_at - timezone.now()).total_seconds())) if claim.status == "active" else 0
    body = {"id": claim.pk, "deal": claim.deal_id, "sku": sku, "quantity": claim.quantity, "status": claim.status,
            "expires_at": _iso(claim.expires_at), "seconds_left": seconds_left}
    return 201, body, {"Idempotent-Replayed": "true"} if result.replayed else {}


def _iso(moment) -> str:
    """As DRF renders a DateTimeField with USE_TZ (ISO 8601 in the current time zone, 'Z' for UTC)."""
    value = timezone.localtime(moment).isoformat()
    return value[:-6] + "Z" if value.endswith("+00:00") else value


async def _respond(send, status: int, body: dict, extra_headers: dict[str, str], request_id: str) -> None:
    payload = json.dumps(body, separators=(",", ":")).encode()
    headers = [*_HEADERS, (b"content-length", str(len(payload)).encode()),
               (observability.REQUEST_ID_HEADER.lower().encode(), request_id.encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in extra_headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})

