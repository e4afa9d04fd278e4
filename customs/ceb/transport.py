"""How declarations leave: the default writes signed-ready XML into an outbox directory that a
signing agent or single-window gateway picks up; an HTTP transport posts to a gateway."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import requests
from django.conf import settings


class TransientTransportError(Exception):
    """The gateway could not be reached: the task retries."""


class OutboxTransport:
    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory or settings.CUSTOMS_OUTBOX_DIR)

    def send(self, *, guid: str, message_type: str, xml: bytes) -> str:
        """Atomic and idempotent: the file is named by the message guid and appears whole or not at all."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{message_type}_{guid}.xml"
        if target.exists():
            return str(target)
        fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(xml)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
        return str(target)


class HttpTransport:
    """A single-window gateway reached over HTTP; the gateway deduplicates on the message guid."""

    def __init__(self, url: str | None = None):
        self.url = url or settings.CUSTOMS_GATEWAY_URL

    def send(self, *, guid: str, message_type: str, xml: bytes) -> str:
        try:
            response = requests.post(self.url, data=xml, timeout=30, headers={
                "Content-Type": "application/xml", "X-Message-Guid": guid, "X-Message-Type": message_type})
        except requests.RequestException as exc:
            raise TransientTransportError(str(exc)) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientTransportError(f"gateway answered {response.status_code}")
        response.raise_for_status()
        return response.headers.get("Location", guid)


def transport():
    return HttpTransport() if settings.CUSTOMS_TRANSPORT == "http" else OutboxTransport()
