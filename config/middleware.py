"""Cross-cutting HTTP middleware: request ids and the API's security headers."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from pghistory.middleware import HistoryMiddleware

from config import metrics, observability

logger = logging.getLogger("livedock.request")

API_PREFIX = "/api/"
# JSON responses never load anything and never render in a frame.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class RequestIdMiddleware:
    """Binds a request id for the request's lifetime, echoes it, and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = observability.new_request_id(request.headers.get(observability.REQUEST_ID_HEADER))
        request.request_id = request_id
        # Bound for the rest of this request's context, and not reset on the way out: Django logs 4xx/5xx
        # ("Bad Request: ...") after the middleware returns, and that line must carry the id too. The next
        # request in this thread or task binds its own.
        observability.bind_request_id(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[observability.REQUEST_ID_HEADER] = request_id
        elapsed = time.perf_counter() - started
        route = _route_of(request)
        if settings.LIVEDOCK_ACCESS_LOG:
            logger.info("%s %s %s", request.method, request.path, response.status_code,
                        extra={"method": request.method, "path": request.path, "route": route,
                               "status": response.status_code, "duration_ms": round(elapsed * 1000, 2)})
        metrics.observe_request(request.method, route, response.status_code, elapsed)
        return response


def _route_of(request) -> str:
    """The URL pattern, not the concrete path, so metrics stay low-cardinality (no ids in labels)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + match.route if match.route else match.view_name or "unmatched"


class ApiSecurityHeadersMiddleware:
    """The API's responses forbid framing and loading anything, and private answers are never cached
    by a shared cache (Django's SecurityMiddleware adds nosniff, referrer and opener policies everywhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and not request.path.startswith("/api/docs/"):
            response.setdefault("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
            signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
            if "Authorization" in request.headers or signed_in:
                response.setdefault("Cache-Control", "private, no-store")
        return response


class AuditContextMiddleware(HistoryMiddleware):
    """Writes made while serving a request are audited with the user, the path and the request id."""

    def get_context(self, request):
        return {**super().get_context(request), "request_id": getattr(request, "request_id", "")}
