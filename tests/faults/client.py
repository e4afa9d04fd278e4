"""The outside callers of the fault tests: buyers' and operators' HTTP requests, and Stripe's signed
webhook deliveries with its retry-until-2xx behaviour. Every request has a timeout and never raises;
a transport failure is a reply with status 0."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

WEBHOOK_PATH = "/api/v1/payments/stripe/webhook/"
REQUEST_TIMEOUT = 20  # seconds; a request that takes longer counts as hung


@dataclass
class Reply:
    label: str
    status: int
    body: bytes
    seconds: float
    error: str = ""

    def json(self):
        return json.loads(self.body)


class Replies:
    """Every reply a test got, from any thread."""

    def __init__(self):
        self.all: list[Reply] = []
        self._lock = threading.Lock()

    def add(self, reply: Reply) -> Reply:
        with self._lock:
            self.all.append(reply)
        return reply

    def labelled(self, prefix: str) -> list[Reply]:
        with self._lock:
            return [r for r in self.all if r.label.startswith(prefix)]


def request(base_url: str, method: str, path: str, *, label: str, replies: Replies | None = None,
            body: dict | bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
    target = urlsplit(base_url)
    payload = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    started = time.monotonic()
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        reply = Reply(label, response.status, response.read(), time.monotonic() - started)
    except (OSError, http.client.HTTPException) as exc:
        reply = Reply(label, 0, b"", time.monotonic() - started, error=f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()
    return replies.add(reply) if replies is not None else reply


def assert_clean(reply: Reply) -> None:
    """A success, or an error in the project's one shape: never a hang, a dropped connection or HTML."""
    assert reply.status, f"{reply.label}: no answer ({reply.error}) after {reply.seconds:.1f} s"
    assert reply.seconds < REQUEST_TIMEOUT, reply
    if reply.status < 400:
        return
    body = reply.json()
    assert set(body) == {"error"}, (reply.label, reply.status, body)
    assert isinstance(body["error"]["code"], str) and body["error"]["code"], (reply.label, body)
    assert isinstance(body["error"]["message"], str), (reply.label, body)
    assert isinstance(body["error"]["fields"], dict), (reply.label, body)


# --- Stripe webhooks ------------------------------------------------------------------------------

def stripe_event(event_type: str, data_object: dict, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": event_type,
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1, "data": {"object": data_object}}


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """Stripe-Signature as Stripe computes it: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver_webhook(base_url: str, event: dict, secret: str, *, replies: Replies, label: str = "webhook",
                    attempts: int = 12, max_seconds: float = 40) -> Reply:
    """Post a signed event until the endpoint answers 2xx, backing off like Stripe does (quicker)."""
    payload = json.dumps(event).encode()
    deadline = time.monotonic() + max_seconds
    delay = 0.25
    for _ in range(attempts):
        reply = request(base_url, "POST", WEBHOOK_PATH, label=label, replies=replies, body=payload,
                        headers={"Stripe-Signature": signature_header(payload, secret)})
        if 200 <= reply.status < 300 or time.monotonic() + delay > deadline:
            return reply
        time.sleep(delay)
        delay = min(delay * 2, 3)
    return reply
