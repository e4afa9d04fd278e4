"""Idempotency keys: POSTs that create orders or claims carry one; a repeat returns the first answer."""

from __future__ import annotations

import hashlib
import json
import re

from drf_spectacular.utils import OpenApiParameter

from config.errors import IdempotencyKeyInvalid

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_\-:.]{8,255}$"
_KEY_RE = re.compile(IDEMPOTENCY_KEY_PATTERN)


def idempotency_key_checked(key: str | None) -> str:
    if not key or not _KEY_RE.match(key):
        raise IdempotencyKeyInvalid(fields={"Idempotency-Key": ["8-255 of A-Z a-z 0-9 - _ : ."]})
    return key


def request_fingerprint(data) -> str:
    """A request body's hash, stored with its key: the same key with another body is refused."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotency_header(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "Idempotency-Key", str, OpenApiParameter.HEADER, required=True, pattern=IDEMPOTENCY_KEY_PATTERN,
        description=f"A unique key per {what} attempt (8-255 of A-Z a-z 0-9 - _ : .). Repeating a request with "
                    f"the same key returns the first answer and creates nothing; the same key with another body "
                    f"is refused (409).")
