"""Django's request handling on the ASGI server, each request in one step on a fixed set of threads.

Django's own ASGI handler runs a sync view behind an async middleware chain: every middleware written for
sync code (Django's own, DRF's, ours) is entered and left through a thread switch, each request starts a new
thread of its own, and every request in flight runs at once. On two cores that made a checkout cost about
half as much again as under a sync server, and with many requests at once their transactions held a hot
row's lock for longer while waiting for the interpreter.

Here the ASGI server reads the request (so a slow client holds no thread), then the whole of Django's work
(request signals, middleware, view, closing the response and so returning the database connection) runs in
one go on a small per-process pool of threads, as a sync server would run it; the event loop only sends
the answer. Requests beyond the pool wait in line for a thread, bounded by the server's connection limits.

Async views (the live event streams) keep Django's own async handler: they wait for events on the event loop
and must not hold a thread.
"""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.urls import set_script_prefix


class ThreadedHandler(ASGIHandler):
    """ASGI entry for sync views: one hop onto the pool's threads per request."""

    def __init__(self, threads: int):
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None
        super().__init__()

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:  # made in the serving process, after the server forked it
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="django")
        return self._pool

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:  # the client left before its body arrived
            return
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        try:
            response = await loop.run_in_executor(self._executor(), context.run, self._respond, scope, body_file)
        finally:
            body_file.close()
        try:
            await self.send_response(response, send)
        finally:
            if response.streaming:  # a file: closed once sent (its request ended already, see _respond)
                await loop.run_in_executor(self._executor(), response.close)

    def _respond(self, scope, body_file):
        """Run on a pool thread: the request from start to its database connection given back."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response = error_response if request is None else self.get_response(request)
        response._handler_class = self.__class__
        if response.streaming:
            # Only files stream from sync views; what the request borrowed goes back now, on this thread.
            signals.request_finished.send(sender=self.__class__)
        else:
            response.close()  # request_finished: the connection returns to the pool from the thread that used it
        return response


def routed(threaded, streams, is_stream):
    """One ASGI application: requests for `is_stream(path)` to Django's async handler, the rest threaded."""

    async def application(scope, receive, send):
        if scope["type"] == "http" and is_stream(scope["path"]):
            await streams(scope, receive, send)
        else:
            await threaded(scope, receive, send)

    return application
