"""A single-window customs gateway on 127.0.0.1 for the HTTP declaration transport: it files each message
once under its guid and answers a repeat of a guid with the same reference (the deduplication the
transport relies on), and records every delivery so a test sees repeats."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .loopback import Answer, LoopbackServer


@dataclass(frozen=True)
class Filed:
    guid: str
    message_type: str
    xml: bytes


class CustomsGateway(LoopbackServer):
    def __init__(self):
        self.deliveries: list[tuple[str, str]] = []  # (guid, message type), every one
        self.filed: dict[str, Filed] = {}
        self._state = threading.Lock()
        super().__init__()

    def answer(self, method, path, headers, body):
        guid, message_type = headers.get("X-Message-Guid", ""), headers.get("X-Message-Type", "")
        if method != "POST" or not guid or not body:
            return Answer.json(400, {"error": "a message needs its guid, its type and a body"})
        with self._state:
            self.deliveries.append((guid, message_type))
            first = guid not in self.filed
            if first:
                self.filed[guid] = Filed(guid, message_type, body)
        return Answer.json(201 if first else 200, {"guid": guid}, Location=f"{self.url}/messages/{guid}")
