"""Small HTTP servers on 127.0.0.1 that stand in for the outside world (Stripe, the customs gateway) and
can hold one chosen answer: the request has arrived and taken effect, but the caller is kept waiting,
which is the moment a test kills the caller or cuts its database connection."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOLD_SECONDS = 60  # a held answer is let go after this long whatever the test does


class Hold:
    """Holds the answer to the first request matching `method` and `path_pattern`."""

    def __init__(self, method: str, path_pattern: str):
        self.method, self.pattern = method, re.compile(path_pattern)
        self.reached = threading.Event()
        self.reached_at = 0.0
        self.path = ""
        self._released = threading.Event()

    def wait(self, timeout: float = 30) -> Hold:
        if not self.reached.wait(timeout):
            raise AssertionError(f"no {self.method} {self.pattern.pattern} arrived in {timeout} s")
        return self

    def release(self) -> None:
        self._released.set()

    def _hold(self, path: str) -> None:
        self.path, self.reached_at = path, time.monotonic()
        self.reached.set()
        self._released.wait(HOLD_SECONDS)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data, **headers: str) -> Answer:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


class LoopbackServer:
    """A threaded HTTP/1.1 server; subclasses implement `answer`."""

    def __init__(self):
        self._holds: list[Hold] = []  # waiting for their request
        self._every_hold: list[Hold] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = server.answer(self.command, self.path, self.headers, body)
                hold = server._take_hold(self.command, self.path)
                if hold is not None:
                    hold._hold(self.path)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    self.close_connection = True  # the caller is gone (killed while it waited)

            do_GET = do_POST = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def answer(self, method: str, path: str, headers, body: bytes) -> Answer:
        raise NotImplementedError

    def hold(self, method: str, path_pattern: str) -> Hold:
        hold = Hold(method, path_pattern)
        with self._lock:
            self._holds.append(hold)
            self._every_hold.append(hold)
        return hold

    def _take_hold(self, method: str, path: str) -> Hold | None:
        with self._lock:
            for hold in self._holds:
                if hold.method == method and hold.pattern.search(path):
                    self._holds.remove(hold)
                    return hold
        return None

    def release_all(self) -> None:
        with self._lock:
            for hold in self._every_hold:
                hold.release()
            self._holds.clear()

    def close(self) -> None:
        self.release_all()
        self.httpd.shutdown()
        self.httpd.server_close()
