"""Real-time session state: every change is published on the session's Redis channel after commit,
and each Server-Sent Events stream (one per watching buyer, served by the ASGI server) relays it.

Fan-out through Redis pub/sub means any number of web processes can serve streams. Each process holds one
subscription, to every session's channel, whatever the number of streams it serves, and hands each message
to its own streams of that session in memory; it opens the subscription with its first stream and closes it
with its last. Open streams are capped per process and per client address (LIVEDOCK_SSE_MAX_STREAMS,
LIVEDOCK_SSE_MAX_STREAMS_PER_CLIENT): beyond a cap a stream is refused with 503 and Retry-After, and the
client can poll `/state/` meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import weakref
from collections import Counter

import redis
import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, connections, transaction
from django.http import JsonResponse, StreamingHttpResponse

from config.client import client_address
from config.errors import RETRY_AFTER_SECONDS, NotFound, error_body

from .errors import TooManyStreams
from .selectors import session_state

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15
CHANNEL_PATTERN = "livedock:live:session:*"
# The name of each process's one subscription connection in Redis' CLIENT LIST.
SUBSCRIPTION_CLIENT_NAME = "livedock-live-events"
# How long a stream waits for its process's subscription to start before it is refused.
SUBSCRIBE_TIMEOUT_SECONDS = 5
# Each event is the session's whole state, so a stream that falls behind keeps only the newest few.
STREAM_BACKLOG = 8


def channel(session_id: int) -> str:
    return f"livedock:live:session:{session_id}"


_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def publish_state(session_id: int | None) -> None:
    """Publish the session's current state once the surrounding transaction commits (a storefront flash
    sale has no session: buyers poll it)."""
    if session_id is None:
        return

    def send() -> None:
        try:
            state = session_state(session_id=session_id)
            _redis().publish(channel(session_id), json.dumps(state))
        except Exception:  # noqa: BLE001 - real-time delivery must never break a sale; polling still works
            log.warning("Could not publish state of session %s", session_id, exc_info=True)

    transaction.on_commit(send)


# A claim storm changes a deal's units hundreds of times a second: its state goes out at most about this often
# per session and process: the first change in a window publishes at once, the changes after it once more at
# the window's end, so the last change (the sold-out) is never left unpublished.
PUBLISH_COALESCE_MS = 250

_published_here: dict[int, float] = {}  # session -> when this process last published it (monotonic seconds)
_trailing: set[int] = set()  # sessions with a publish pending at the end of their window, in this process
_trailing_lock = threading.Lock()


def publish_state_soon(session_id: int | None) -> None:
    """Publish the session's state soon, coalesced (see PUBLISH_COALESCE_MS), from a timer thread: the change
    that asked for it (a claim) does not wait for the state to be read and sent. No session: nothing to send."""
    if session_id is None:
        return
    if connection.in_atomic_block:  # the timer must read what this transaction wrote
        transaction.on_commit(lambda: _publish_later(session_id))
    else:
        _publish_later(session_id)


def _publish_later(session_id: int) -> None:
    """Start the session's timer unless one is pending in this process. Called after the commit, which is not
    always outside every atomic block (a test's own transaction runs commit callbacks inside it)."""
    with _trailing_lock:
        if session_id in _trailing:
            return
        _trailing.add(session_id)
    since = time.monotonic() - _published_here.get(session_id, -1.0)
    timer = threading.Timer(max(0.0, PUBLISH_COALESCE_MS / 1000 - since), _publish_trailing, args=(session_id,))
    timer.daemon = True
    timer.start()


def _publish_trailing(session_id: int) -> None:
    with _trailing_lock:
        _trailing.discard(session_id)
    _published_here[session_id] = time.monotonic()
    try:
        _redis().publish(channel(session_id), json.dumps(session_state(session_id=session_id)))
    except Exception:  # noqa: BLE001 - real-time delivery must never break a sale; polling still works
        log.warning("Could not publish state of session %s", session_id, exc_info=True)
    finally:
        connections.close_all()  # this timer thread's connection goes back to the pool


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


class SubscriptionUnavailable(Exception):
    """Redis did not take this process's subscription in time: the stream is refused, the client retries."""


def _offer(queues, data: bytes | None) -> None:
    for queue in list(queues):
        if queue.full():
            queue.get_nowait()  # a newer state replaces the oldest one this stream has not sent yet
        queue.put_nowait(data)


# --- One subscription per process, fanned out to its streams ---------------------------------------------

class _Fanout:
    """The subscription of one event loop (the ASGI server runs one per process) and the queues of the streams
    it serves, by channel. A message goes to every queue of its channel; a lost subscription ends every stream,
    so each client reconnects (EventSource does by itself) and reads the state afresh."""

    def __init__(self) -> None:
        self.queues: dict[bytes, set[asyncio.Queue]] = {}
        self.listener: asyncio.Task | None = None
        self.subscribed: asyncio.Future | None = None

    async def join(self, session_id: int) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=STREAM_BACKLOG)
        self.queues.setdefault(channel(session_id).encode(), set()).add(queue)
        if self.listener is None:
            loop = asyncio.get_running_loop()
            self.subscribed = loop.create_future()
            self.listener = loop.create_task(self._listen(self.subscribed))
        try:
            subscribed = await asyncio.wait_for(asyncio.shield(self.subscribed), SUBSCRIBE_TIMEOUT_SECONDS)
        except TimeoutError:
            subscribed = False
        if not subscribed:
            self.leave(session_id, queue)
            raise SubscriptionUnavailable()
        return queue

    def leave(self, session_id: int, queue: asyncio.Queue) -> None:
        key = channel(session_id).encode()
        queues = self.queues.get(key)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.queues[key]
        if not self.queues and self.listener is not None:
            self.listener.cancel()  # the last stream left: no connection is held for nobody
            self.listener = None

    async def _listen(self, subscribed: asyncio.Future) -> None:
        client = aioredis.Redis.from_url(settings.REDIS_URL, client_name=SUBSCRIPTION_CLIENT_NAME)
        pubsub = client.pubsub()
        try:
            await pubsub.psubscribe(CHANNEL_PATTERN)
            async for message in pubsub.listen():
                if message["type"] == "psubscribe" and not subscribed.done():
                    subscribed.set_result(True)
                elif message["type"] == "pmessage":
                    _offer(self.queues.get(message["channel"], ()), message["data"])
        except (redis.RedisError, OSError):
            log.warning("Live events subscription lost", exc_info=True)
        finally:
            if not subscribed.done():
                subscribed.set_result(False)
            if self.listener is asyncio.current_task():
                self.listener = None
                lost, self.queues = self.queues, {}
                for queues in lost.values():
                    _offer(queues, None)
            await pubsub.aclose()
            await client.aclose()


_fanouts: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Fanout] = weakref.WeakKeyDictionary()


def _fanout() -> _Fanout:
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None:
        fanout = _fanouts[loop] = _Fanout()
    return fanout


# --- Caps on open streams -------------------------------------------------------------------------------

class _StreamSlots:
    """Open streams of this process, in total and per client address. Taken before a stream opens, given back
    exactly once when it ends; thread-safe, as a response is closed from a worker thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0
        self.by_client: Counter[str] = Counter()

    def take(self, client: str) -> None:
        with self._lock:
            if self.by_client[client] >= settings.LIVEDOCK_SSE_MAX_STREAMS_PER_CLIENT:
                raise TooManyStreams("Too many open live-event streams from your address; poll the session's "
                                     "state, or retry later.")
            if self.total >= settings.LIVEDOCK_SSE_MAX_STREAMS:
                raise TooManyStreams()
            self.total += 1
            self.by_client[client] += 1

    def give_back(self, client: str) -> None:
        with self._lock:
            self.total -= 1
            self.by_client[client] -= 1
            if self.by_client[client] <= 0:
                del self.by_client[client]


_slots = _StreamSlots()


def stream_client(request) -> str:
    """The address streams are counted by: the client's, as our own proxies saw it (config/client.py)."""
    return client_address(request)


class _EventStream:
    """The body of one stream. Its queue and its slot are given back once: when the stream runs out, when the
    client leaves mid-stream, or when the response is closed before the stream ever started."""

    def __init__(self, *, fanout: _Fanout, session_id: int, queue: asyncio.Queue, client: str, initial: dict):
        self._fanout, self._session_id, self._queue, self._client = fanout, session_id, queue, client
        self._initial = initial
        self._loop = asyncio.get_running_loop()
        self._open = True

    def __aiter__(self):
        return self._events()

    async def _events(self):
        try:
            yield b"retry: 2000\n\n" + _sse("state", json.dumps(self._initial))
            deadline = time.monotonic() + settings.LIVEDOCK_SSE_MAX_SECONDS
            while (left := deadline - time.monotonic()) > 0:
                try:
                    async with asyncio.timeout(min(HEARTBEAT_SECONDS, left)):  # no task per wait, unlike wait_for
                        data = await self._queue.get()
                except TimeoutError:
                    if deadline - time.monotonic() > 0:
                        yield b": keep-alive\n\n"
                    continue
                if data is None:
                    return  # the subscription was lost: the client reconnects and reads the state afresh
                yield _sse("state", data.decode())
        finally:
            self.close()

    def close(self) -> None:
        """Called by the stream's end in the event loop, and by Django closing the response from a thread."""
        if not self._open:
            return
        self._open = False
        _slots.give_back(self._client)
        try:
            in_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            in_loop = False
        if in_loop:
            self._fanout.leave(self._session_id, self._queue)
        else:
            try:
                self._loop.call_soon_threadsafe(self._fanout.leave, self._session_id, self._queue)
            except RuntimeError:
                pass  # the loop is gone, and its subscription with it


def _refused(code: str, message: str, retry_after: int) -> JsonResponse:
    response = JsonResponse(error_body(code, message), status=503)
    response["Retry-After"] = str(retry_after)
    return response


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

    client = stream_client(request)
    try:
        _slots.take(client)
    except TooManyStreams as refusal:
        return _refused(refusal.code, refusal.message, TooManyStreams.retry_after_seconds)
    fanout, queue = _fanout(), None
    try:
        # Subscribed before the first read, so no change between the read and the first event is missed.
        queue = await fanout.join(session_id)
        async with _initial_reads():
            initial = await sync_to_async(initial_state)()
    except BaseException as exc:
        _slots.give_back(client)
        if queue is not None:
            fanout.leave(session_id, queue)
        if isinstance(exc, NotFound):
            return JsonResponse(error_body("not_found", "No such session."), status=404)
        if isinstance(exc, SubscriptionUnavailable):
            return _refused("service_unavailable", "Live events are briefly unavailable; poll the session's state, "
                            "or retry after Retry-After seconds.", RETRY_AFTER_SECONDS)
        raise

    response = StreamingHttpResponse(
        _EventStream(fanout=fanout, session_id=session_id, queue=queue, client=client, initial=initial),
        content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
