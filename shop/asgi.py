"""Catalog reads answered from the response cache on the ASGI server, in front of Django.

A product list or product page already rendered by this process (shop/catalog_cache.py) is sent from here
when nothing it shows has changed: no middleware, view or database on the way. Anything else goes to Django
unchanged, which renders and keeps the answer for the next request: a cache miss, a signed-in buyer (whose
stored language and currency Django reads), a browser's cross-origin request (CORS is Django's), a session
cookie, repeated headers, an unknown host. The answer is the one Django gives for the same request (the
tests compare them header for header), with its request id, access log line and metrics.
"""

from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import connections

from config import front

from .catalog_cache import Entry, cache_key, catalog_cache, entry_headers, etag_matches
from .languages import language_code, language_negotiate

LIST_PATH = "/api/v1/catalog/products/"
DETAIL_PATH = re.compile(r"^/api/v1/catalog/products/([-a-zA-Z0-9_]+)/$")
# The URL patterns' names in metrics, as Django's middleware records them.
LIST_ROUTE = "/api/v1/catalog/products/"
DETAIL_ROUTE = "/api/v1/catalog/products/<slug:slug>/"
# Headers Django's path adds besides the cache's: DRF's view (APIView.finalize_response), and Vary as the CORS
# middleware extends it.
_VIEW_HEADERS = [(b"allow", b"GET, HEAD, OPTIONS"), (b"vary", b"Accept-Language, origin")]

_NOT_MODIFIED_HEADERS = [header for header in front.API_HEADERS if header[0] != b"content-type"]


def catalog_first(django_app):
    """Wrap an ASGI application: catalog reads found in the cache answered here, every other request passed on."""

    async def application(scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET":
            path = scope["path"]
            if path == LIST_PATH:
                if await _from_cache(scope, send, "products", "", LIST_ROUTE):
                    return
            else:
                match = DETAIL_PATH.match(path)
                if match is not None and await _from_cache(scope, send, "product", match[1], DETAIL_ROUTE):
                    return
        await django_app(scope, receive, send)

    return application


async def _from_cache(scope, send, route: str, arg: str, metric_route: str) -> bool:
    started = time.perf_counter()
    headers = front.request_headers(scope)
    if front.django_judges(scope, headers) or "authorization" in headers or _has_session(headers):
        return False
    query_string = scope.get("query_string", b"").decode("latin-1")
    language = _language(query_string, headers)
    if language is None:
        return False
    if settings.LIVEDOCK_CATALOG_CHANGE_POLL_SECONDS <= 0:  # read on every request (tests): on a thread
        trusted = await asyncio.get_running_loop().run_in_executor(None, _follow_and_close)
    else:
        trusted = catalog_cache.follow()
    entry = catalog_cache.get(cache_key(route=route, arg=arg, query_string=query_string, language=language)) \
        if trusted else None
    if entry is None:
        return False
    request_id, context = front.request_context(headers)
    status = await _send(send, entry, etag_matches(headers.get("if-none-match"), entry.etag),
                         [(front.REQUEST_ID, request_id.encode()), *front.hsts_headers(scope, headers)])
    front.answered(context, "GET", scope["path"], metric_route, status, started)
    return True


def _follow_and_close() -> bool:
    try:
        return catalog_cache.follow()
    finally:
        connections.close_all()


def _has_session(headers: dict[str, str]) -> bool:
    cookie = headers.get("cookie")
    return bool(cookie) and settings.SESSION_COOKIE_NAME in cookie


def _language(query_string: str, headers: dict[str, str]) -> str | None:
    """The answer's language as the view negotiates it for an anonymous buyer (`lang`, else Accept-Language);
    None for a `lang` Django refuses or gives twice."""
    asked = [value for name, value in parse_qsl(query_string, keep_blank_values=True) if name == "lang"]
    if len(asked) > 1:
        return None
    requested = language_code(asked[0]) if asked and asked[0] else None
    if asked and asked[0] and requested is None:
        return None
    return language_negotiate(requested=requested, preferred=None, accept_language=headers.get("accept-language"))


async def _send(send, entry: Entry, not_modified: bool, extra: list[tuple[bytes, bytes]]) -> int:
    """The answer, or a 304 as Django sends it: the same headers without a content type, and no body."""
    status = 304 if not_modified else 200
    body = b"" if not_modified else entry.body
    answer = _NOT_MODIFIED_HEADERS if not_modified else front.API_HEADERS
    answer = [*answer, *((name.lower().encode(), value.encode())
                         for name, value in entry_headers(entry, public=True) if name != "Vary")]
    answer += [*_VIEW_HEADERS, *extra, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": answer})
    await send({"type": "http.response.body", "body": body})
    return status
