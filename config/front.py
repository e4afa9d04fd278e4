"""What answers given in front of Django on the ASGI server share (livestream/asgi.py answers live-deal claims,
shop/asgi.py catalog reads from its cache): reading the request's headers and body as Django would judge
them, the security headers Django's middleware adds to API answers, and the request id, access log line and
metrics every answer gets."""

from __future__ import annotations

import contextvars
import logging
import time

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from . import metrics, observability
from .middleware import API_CONTENT_SECURITY_POLICY

log = logging.getLogger("livedock.request")

# Security headers of every API answer (SecurityMiddleware's and config/middleware.py's), but Cache-Control,
# which each answer sets.
API_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-security-policy", API_CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
REQUEST_ID = observability.REQUEST_ID_HEADER.lower().encode()


def request_headers(scope) -> dict[str, str]:
    """The request's headers by lower-case name; a repeated header is marked "~repeated" (Django joins
    them: let it judge)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1")
        if key in found:
            found[key] = ""
            found["~repeated"] = "1"
        else:
            found[key] = value.decode("latin-1")
    return found


async def read_body(receive, limit: int) -> tuple[bytes, bool, bool]:
    """(what was read, whether more of the body is still to come, whether it is a whole body of at most
    `limit` bytes): reading stops after `limit` bytes, or when the client leaves."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
        if size > limit or not more:
            return b"".join(chunks), more, size <= limit


def replaying(body: bytes, more: bool, receive):
    """A receive() that hands Django what was read already, then whatever is still coming."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replay


def is_secure(scheme: str, headers: dict[str, str]) -> bool:
    """As Django's request.is_secure(): the proxy's header when SECURE_PROXY_SSL_HEADER names one."""
    if settings.SECURE_PROXY_SSL_HEADER:
        name, value = settings.SECURE_PROXY_SSL_HEADER
        forwarded = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower())
        if forwarded is not None:
            return forwarded.split(",")[0].strip() == value
    return scheme == "https"


def django_judges(scope, headers: dict[str, str]) -> bool:
    """Requests only Django answers: repeated headers, cross-origin ones (CORS is Django's), an unknown
    host, plain HTTP that Django redirects to HTTPS."""
    if "~repeated" in headers or "origin" in headers or not host_allowed(headers.get("host", "")):
        return True
    return bool(settings.SECURE_SSL_REDIRECT) and not is_secure(scope.get("scheme", "http"), headers)


def hsts_headers(scope, headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """Strict-Transport-Security as SecurityMiddleware writes it, on secure requests when configured."""
    if not settings.SECURE_HSTS_SECONDS or not is_secure(scope.get("scheme", "http"), headers):
        return []
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return [(b"strict-transport-security", value.encode())]


def host_allowed(host: str) -> bool:
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def request_context(headers: dict[str, str]) -> tuple[str, contextvars.Context]:
    """The request's id (the client's when well-formed) and a context with it bound, for logs."""
    request_id = observability.new_request_id(headers.get("x-request-id"))
    context = contextvars.copy_context()
    context.run(observability.bind_request_id, request_id)
    return request_id, context


def answered(context: contextvars.Context, method: str, path: str, route: str, status: int,
             started: float) -> None:
    """The access log line and request metrics of an answer given here, as Django's middleware records them."""
    elapsed = time.perf_counter() - started
    if settings.LIVEDOCK_ACCESS_LOG:
        context.run(log.info, "%s %s %s", method, path, status,
                    extra={"method": method, "path": path, "route": route, "status": status,
                           "duration_ms": round(elapsed * 1000, 2)})
    metrics.observe_request(method, route, status, elapsed)
