"""One request through an ASGI application in-process, as a server would hand it over: the body (in chunks if
asked), then nothing until the client goes away."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from asgiref.sync import async_to_sync


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def asgi_request(app, method: str, path: str, *, query: str = "", body: bytes = b"",
                 headers: dict[str, str] | None = None, chunk: int | None = None) -> Answer:
    pieces = [body[i:i + chunk] for i in range(0, len(body), chunk)] if chunk and body else [body]
    messages = [{"type": "http.request", "body": piece, "more_body": i < len(pieces) - 1}
                for i, piece in enumerate(pieces)]
    sent: list[dict] = []
    length = [(b"content-length", str(len(body)).encode())] if body else []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"localhost"), *length]
             + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    async_to_sync(app)(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return Answer(start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]},
                  b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
