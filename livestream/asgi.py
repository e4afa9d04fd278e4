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
import functools
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.utils import timezone
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from config import front
from config.errors import error_answer, error_body
from config.idempotency import idempotency_key_checked
from shop import selectors as shop_selectors

from . import services

CLAIM_PATH = re.compile(r"^/api/v1/live/deals/([0-9]{1,18})/claims/$")
CLAIM_ROUTE = "/api/v1/live/deals/<int:deal_id>/claims/"  # the URL pattern's name in metrics, as Django's
MAX_BODY = 4096  # a claim is a few dozen bytes; anything bigger is Django's to refuse
SKU_MAX = 64
QUANTITY_MAX = 100

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
    headers = front.request_headers(scope)
    body, more, whole = await front.read_body(receive, MAX_BODY)
    request = _claim_request(scope, headers, body) if whole else None
    if request is None:  # not ours to judge: Django answers, with the body it would have read itself
        await django_app(scope, front.replaying(body, more, receive), send)
        return
    buyer_id, sku, quantity, raw_key = request
    request_id, context = front.request_context(headers)
    call = functools.partial(context.run, _claim_made, buyer_id=buyer_id, deal_id=deal_id, sku=sku,
                             quantity=quantity, raw_key=raw_key)
    status, answer, extra_headers = await asyncio.get_running_loop().run_in_executor(_threads(), call)
    payload = json.dumps(answer, separators=(",", ":")).encode()
    answer_headers = [*front.API_HEADERS, (b"cache-control", b"private, no-store"),
                      (b"content-length", str(len(payload)).encode()), (front.REQUEST_ID, request_id.encode()),
                      *front.hsts_headers(scope, headers)]
    answer_headers += [(name.lower().encode(), value.encode()) for name, value in extra_headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": answer_headers})
    await send({"type": "http.response.body", "body": payload})
    front.answered(context, "POST", scope["path"], CLAIM_ROUTE, status, started)


def _claim_request(scope, headers: dict[str, str], body: bytes) -> tuple[int, str, int, str] | None:
    """(buyer, sku, quantity, Idempotency-Key) of a claim this path answers, or None for Django to judge."""
    if front.django_judges(scope, headers):
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
            front.log.exception("claim of deal %s failed", deal_id)
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
