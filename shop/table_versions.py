"""Copies of rarely changing tables kept in each process, used only while their stored version stands.

A table's writes move its TableVersion (a database trigger, whatever the write path), so reading that one
number before each use tells every process at once that its copy is stale: the next request after a
commit reads the tables again. The version is read before the rows, so a copy is never newer-labelled than
what it holds; a copy made inside a transaction that rolls back carries a number that is never reused.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection

from .models import TableVersion

_VERSION_SQL = f"SELECT version FROM {TableVersion._meta.db_table} WHERE name = %s"  # noqa: S608 - model's table


def table_version(*, name: str) -> int | None:
    """The current version of a set of tables, as this transaction sees it; None when it has no row yet."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [name])
        row = cursor.fetchone()
    return row[0] if row else None


class VersionedCopies:
    """Values built from one set of tables, kept per process under the version they were read at.

    `current()` reads the version (one indexed lookup) and returns the dict of values kept for it, empty
    when the version moved; callers fill it with what they read or derive. Without a version row nothing
    is kept."""

    def __init__(self, name: str, max_entries: int = 256):
        self.name = name
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._version: int | None = None
        self._values: dict[Any, Any] = {}

    def current(self) -> dict[Any, Any]:
        version = table_version(name=self.name)
        if version is None:
            return {}
        with self._lock:
            if version != self._version or len(self._values) >= self.max_entries:
                self._version, self._values = version, {}
            return self._values

    def clear(self) -> None:
        with self._lock:
            self._version, self._values = None, {}
