"""Rate limits per client: counters per scope and client in the cache, in a sliding window.

The rates are DRF's (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], e.g. "auth-login": "10/min"); the API uses
them through `ClientRateThrottle`, and pages that take a password call `rate_limit_hit` with the same scope,
so one client has one budget whichever door it knocks on. The client is `config.client.client_address`,
never a header the client wrote.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from config.client import client_address, client_key

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """"10/min" -> (10 requests, 60 seconds), the way DRF reads a rate."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period[0]]


def rate_limit_hit(*, scope: str, client: str) -> int:
    """Counts one request of `client` (an address) against `scope`: 0 when it may go on, else the seconds
    until a request would be let through again.

    A sliding window: this window's count plus the previous window's, weighted by how much of it still lies
    within the last `seconds`; so crossing a window's edge never hands out a fresh budget. Each count is
    one atomic increment, so parallel requests cannot slip past it; refused requests count too."""
    allowed, seconds = rate_parse(api_settings.DEFAULT_THROTTLE_RATES[scope])
    window, progress = divmod(time.time() / seconds, 1)
    prefix = f"rate:{scope}:{client_key(client)}:"
    current = f"{prefix}{int(window)}"
    cache.add(current, 0, 2 * seconds + 1)  # kept through the next window, which still weighs it
    try:
        count = cache.incr(current)
    except ValueError:  # expired between the two calls
        cache.set(current, 1, 2 * seconds + 1)
        count = 1
    previous = cache.get(f"{prefix}{int(window) - 1}") or 0
    if previous * (1 - progress) + count <= allowed:
        return 0
    if count < allowed:  # the previous window's share must fade until one more request fits
        opens = 1 - (allowed - count - 1) / previous
    else:  # this window's own count must fade, well into the next window
        opens = 2 - (allowed - 1) / count
    return max(1, math.ceil((opens - progress) * seconds))


class ClientRateThrottle(BaseThrottle):
    """DRF's scoped throttle (the view's `throttle_scope`), counted per client address; the answer is DRF's
    429 `throttled` with Retry-After."""

    scope_attr = "throttle_scope"

    def __init__(self):
        self.retry_after = 0

    def get_ident(self, request) -> str:
        return client_key(client_address(request))

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, self.scope_attr, None)
        if not scope:
            return True
        self.retry_after = rate_limit_hit(scope=scope, client=client_address(request))
        return self.retry_after == 0

    def wait(self) -> float | None:
        return self.retry_after or None
