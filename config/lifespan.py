"""A web process's start: what it prepares once before it serves.

Left to the first requests, a fresh process imports the URL conf (every API and admin module) and the token
backend, and opens its pool of database connections. When those first requests are a flash sale's storm,
hundreds of buyers wait behind that work: the first claims of a deal took about half a second more than
the rest. The ASGI server's lifespan start runs it instead, before the process accepts a request.
"""

from __future__ import annotations

import asyncio
import logging

from django.db import connections
from django.urls import get_resolver
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URL conf and every module it names
    import_string("rest_framework_simplejwt.state.token_backend")  # what a bearer token's first check imports
    try:
        connections["default"].ensure_connection()  # makes the pool, which opens its first connections
    finally:
        connections.close_all()  # back to the pool


def with_lifespan(application):
    """Answer the ASGI lifespan protocol (Django's handler refuses it) and warm the process up at startup. A
    failure is logged and the process serves anyway: the first requests then do the same work themselves."""

    async def app(scope, receive, send):
        if scope["type"] != "lifespan":
            await application(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await asyncio.get_running_loop().run_in_executor(None, warm_up)
                except Exception:  # noqa: BLE001 - a database away at startup must not stop the server
                    log.warning("warm-up at startup failed; the first requests do it", exc_info=True)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    return app
