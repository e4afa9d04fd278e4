"""Cross-cutting HTTP middleware: request ids and the security headers of API answers and pages."""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject
from pghistory.middleware import HistoryMiddleware

from config import metrics, observability
from config.errors import error_body

logger = logging.getLogger("livedock.request")

API_PREFIX = "/api/"
API_DOCS_PREFIX = "/api/docs/"
# JSON responses never load anything and never render in a frame.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The host console and its sign-in page: our own script and style files only, nothing inline, so text a
# manufacturer typed (a product name in a deal card) can never run as script even if it reached the page as HTML.
CONSOLE_PREFIXES = ("/live/console/", "/accounts/")
CONSOLE_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Swagger UI (/api/docs/): its script, style and images come from our own static files and the page's
# start-up script is a request of its own, so only this origin is allowed; the one inline style block of
# drf-spectacular's page (box-sizing and margins) is allowed by its hash. sha256 of that block's text:
SWAGGER_UI_INLINE_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
API_DOCS_CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {SWAGGER_UI_INLINE_STYLE}; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Every other page (the admin): no inline script either. Inline style stays allowed because the admin's
# third-party pages (import/export) style elements inline; a style cannot run code. The one inline event
# handler of django-import-export's export page ("select all" fields) is allowed by its hash, nothing else.
# sha256 of the handler's text, onSelectToggleChange(event):
IMPORT_EXPORT_SELECT_ALL_HANDLER = "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"
PAGE_CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-hashes' {IMPORT_EXPORT_SELECT_ALL_HANDLER}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "form-action 'self'; base-uri 'self'; frame-ancestors 'none'"
)


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


class NulCharacterMiddleware:
    """Refuses a NUL character in the path or the query string with 400, in the one error shape. No URL of ours
    takes one, and PostgreSQL refuses text containing it: a NUL that reached a query (an admin search, an
    autocomplete term, a path parameter) answered 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return JsonResponse(error_body("bad_request", "A URL may not contain a NUL character."), status=400)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every answer, and private API answers never cached by a shared cache
    (Django's SecurityMiddleware adds nosniff, referrer and opener policies everywhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if path.startswith(API_DOCS_PREFIX):
            response.setdefault("Content-Security-Policy", API_DOCS_CONTENT_SECURITY_POLICY)
        elif path.startswith(API_PREFIX):
            response.setdefault("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
            # The user the view authenticated, or one the session cookie names; the session is not read without
            # that cookie, so an anonymous answer does not vary on Cookie.
            user = getattr(request, "user", None)
            known = user is not None and (not isinstance(user, SimpleLazyObject)
                                          or settings.SESSION_COOKIE_NAME in request.COOKIES)
            signed_in = known and user.is_authenticated
            if "Authorization" in request.headers or signed_in:
                response.setdefault("Cache-Control", "private, no-store")
        elif path.startswith(CONSOLE_PREFIXES):
            response.setdefault("Content-Security-Policy", CONSOLE_CONTENT_SECURITY_POLICY)
        else:
            response.setdefault("Content-Security-Policy", PAGE_CONTENT_SECURITY_POLICY)
        return response


class AuditContextMiddleware(HistoryMiddleware):
    """Writes made while serving a request are audited with the user, the path and the request id.

    Hot paths that write no audited table (claims on a live deal) skip it: attaching the context wraps
    every SQL statement of the request, a fifth of a claim's time."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.skip = re.compile(settings.LIVEDOCK_AUDIT_SKIP_PATHS) if settings.LIVEDOCK_AUDIT_SKIP_PATHS else None

    def __call__(self, request):
        if self.skip is not None and self.skip.match(request.path):
            return self.get_response(request)
        return super().__call__(request)

    def get_context(self, request):
        return {**super().get_context(request), "request_id": getattr(request, "request_id", "")}
