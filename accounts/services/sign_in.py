"""Signing in with a password, wherever the password is typed: the buyer API, the admin, the host console.

Failed passwords are counted per (account name, client address), never per account alone: a stranger's
wrong guesses slow that stranger down and never lock the owner out, and the right password from a client
that has not been failing keeps working. Each pair has LIVEDOCK_LOGIN_BACKOFF_AFTER attempts; from then on
each attempt opens only after a pause that doubles (LIVEDOCK_LOGIN_BACKOFF_BASE_SECONDS, twice that, ...,
at most LIVEDOCK_LOGIN_BACKOFF_MAX_SECONDS). A success clears the pair. The count lives in the cache and
is forgotten LIVEDOCK_LOGIN_BACKOFF_FORGET_SECONDS after the pair's last attempt.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction

from accounts.errors import InvalidCredentials, LoginThrottled
from accounts.services.buyers import buyer_email_normalize
from accounts.services.tokens import tokens_issue
from config.client import client_key


def login_backoff_seconds(*, attempt: int) -> int:
    """The pause after the pair's `attempt`-th attempt in a row (counting from 1), 0 while it is free."""
    free = settings.LIVEDOCK_LOGIN_BACKOFF_AFTER
    if attempt < free:
        return 0
    doublings = min(attempt - free, 32)  # the cap is reached long before; keeps the number small
    return min(settings.LIVEDOCK_LOGIN_BACKOFF_BASE_SECONDS * 2 ** doublings,
               settings.LIVEDOCK_LOGIN_BACKOFF_MAX_SECONDS)


def _pair_key(username: str, client: str) -> str:
    pair = f"{username.strip().casefold()}\n{client_key(client)}"
    return "login-backoff:" + hashlib.sha256(pair.encode()).hexdigest()


def _throttled(gate_key: str) -> LoginThrottled:
    opens_at = cache.get(gate_key) or time.time() + 1
    return LoginThrottled(extra={"retry_after_seconds": max(1, math.ceil(opens_at - time.time()))})


def _attempt_admit(key: str) -> None:
    """Lets one attempt of the pair through, or raises LoginThrottled. Parallel attempts are counted by one
    atomic increment each, and past the free ones only the attempt that sets the pause gets through."""
    gate, count = f"{key}:gate", f"{key}:count"
    if cache.get(gate) is not None:
        raise _throttled(gate)
    forget = settings.LIVEDOCK_LOGIN_BACKOFF_FORGET_SECONDS
    cache.add(count, 0, forget)
    try:
        attempt = cache.incr(count)
    except ValueError:  # forgotten between the two calls
        cache.set(count, 1, forget)
        attempt = 1
    cache.touch(count, forget)
    pause = login_backoff_seconds(attempt=attempt)
    if pause and not cache.add(gate, time.time() + pause, pause):
        cache.decr(count)  # refused attempts do not lengthen the next pause
        raise _throttled(gate)


def password_check(*, username: str, password: str, client: str):
    """The user whose password this is, or None; raises LoginThrottled while the (username, client) pair
    must wait. `client` is the address config.client.client_address gave."""
    key = _pair_key(username, client)
    _attempt_admit(key)
    user = authenticate(None, username=username, password=password)
    if user is None:
        return None
    cache.delete_many([f"{key}:gate", f"{key}:count"])
    return user


@transaction.atomic
def buyer_login(*, email: str, password: str, client: str) -> dict[str, str]:
    """An access and a refresh token for the account, if the password is right."""
    email = buyer_email_normalize(email=email)
    user = password_check(username=email, password=password, client=client)
    if user is None:
        raise InvalidCredentials()
    return tokens_issue(user=user)
