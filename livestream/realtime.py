"""Real-time session state: every change is published on the session's Redis channel after commit,
and each Server-Sent Events stream (one per watching buyer, served by the ASGI server) relays it.

Fan-out through Redis pub/sub means any number of web processes can serve streams: each subscribes
to the channels its clients watch; a publisher does not know who listens.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import redis
import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse, StreamingHttpResponse

from config.errors import NotFound, error_body

from .selectors import session_state

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15


def channel(session_id: int) -> str:
    return f"livedock:live:session:{session_id}"


_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def publish_state(session_id: int) -> None:
    """Publish the session's current state once the surrounding transaction commits."""

    def send() -> None:
        try:
            state = session_state(session_id=session_id)
            _redis().publish(channel(session_id), json.dumps(state))
        except Exception:  # noqa: BLE001 - real-time delivery must never break a sale; polling still works
            log.warning("Could not publish state of session %s", session_id, exc_info=True)

    transaction.on_commit(send)


# A claim storm changes a deal's units hundreds of times a second: its state goes out at most this often per
# session (the first change in a window publishes; the gate reconciliation beat publishes live deals too).
PUBLISH_COALESCE_MS = 250


def publish_state_soon(session_id: int) -> None:
    """Publish the session's state after commit unless another change published it moments ago."""
    try:
        first = _redis().set(f"livedock:live:published:{session_id}", 1, nx=True, px=PUBLISH_COALESCE_MS)
    except Exception:  # noqa: BLE001 - real-time delivery must never break a sale; polling still works
        return
    if first:
        publish_state(session_id)


_initial_read_gate: asyncio.Semaphore | None = None


def _initial_reads() -> asyncio.Semaphore:
    """Bounds the database reads of streams opening at the same moment (a flash-sale announcement
    opens hundreds), so they queue here instead of exhausting PostgreSQL's connections."""
    global _initial_read_gate
    if _initial_read_gate is None:
        _initial_read_gate = asyncio.Semaphore(10)
    return _initial_read_gate


def _sse(event: str, data: str) -> bytes:
    return f"event: {event}\ndata: {data}\n\n".encode()


async def session_events(request, session_id: int):
    """GET /api/v1/live/sessions/{id}/events/: `state` events (the same JSON as the polling endpoint),
    first the current state, then every change; a comment line every 15 s keeps proxies open. A stream
    lasts at most LIVEDOCK_SSE_MAX_SECONDS; the browser's EventSource reconnects by itself."""
    if request.method != "GET":  # a stream is only ever read; answered like every other API route
        response = JsonResponse(error_body("method_not_allowed", f'Method "{request.method}" not allowed.'),
                                status=405)
        response["Allow"] = "GET"
        return response

    def initial_state() -> dict:
        # A stream lives for minutes: it must not hold a database connection while it waits.
        try:
            return session_state(session_id=session_id)
        finally:
            connection.close()

    try:
        async with _initial_reads():
            initial = await sync_to_async(initial_state)()
    except NotFound:
        return JsonResponse(error_body("not_found", "No such session."), status=404)

    async def stream():
        client = aioredis.Redis.from_url(settings.REDIS_URL)
        pubsub = client.pubsub()
        await pubsub.subscribe(channel(session_id))
        deadline = time.monotonic() + settings.LIVEDOCK_SSE_MAX_SECONDS
        try:
            yield b"retry: 2000\n\n" + _sse("state", json.dumps(initial))
            last_beat = time.monotonic()
            while time.monotonic() < deadline:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is not None and message.get("type") == "message":
                    yield _sse("state", message["data"].decode())
                elif time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                    last_beat = time.monotonic()
                    yield b": keep-alive\n\n"
                else:
                    await asyncio.sleep(0)
        finally:
            await pubsub.unsubscribe(channel(session_id))
            await pubsub.aclose()
            await client.aclose()

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
