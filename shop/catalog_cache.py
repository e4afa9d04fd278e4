"""Rendered catalog answers kept per process, dropped exactly when something they show changes.

A product list or product page is rendered once per process for a normalised query, language and currency
and kept with what it shows: the products on it, and the kinds of change that can reorder or refill it
(a list ordered by price is reached by any price change; every list by a product listed or unlisted). The
database writes a CatalogChange row for every such write, whatever the write path (shop/models/changes.py);
each process reads new rows a few times a second (a thread; inline in tests) and moves the version of the
product or kind it names. An answer is served while none of its products or kinds moved after it was
rendered: a price change reaches the pages that show it within LIVEDOCK_CATALOG_CHANGE_POLL_SECONDS, and
nothing else is dropped. Checkout never reads this cache: it prices and reserves from the tables.

What can be late, and by how much (docs/catalog.md, "Response cache"): a change whose transaction commits
more than LATE_COMMIT_SECONDS after it took its row number, and anything when the change log cannot be read
(then no answer is served from here after STALE_AFTER_SECONDS); every answer is dropped after
LIVEDOCK_CATALOG_CACHE_SECONDS in any case.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import connection, connections

from .models import CatalogChange

log = logging.getLogger(__name__)

Kind = CatalogChange.Kind
# Kinds of product change that reach the page of that product only, not the lists showing it.
_DETAIL_ONLY = {Kind.AVAILABLE}
# The kind every product change also moves, for the lists it can reorder or refill.
_PRODUCT_KIND_CHANNEL = {Kind.PRICE: Kind.PRICE, Kind.STOCK: Kind.STOCK, Kind.TEXT: Kind.TEXT,
                         Kind.LISTING: Kind.LISTING}
LATE_COMMIT_SECONDS = 10.0  # rows numbered this long before the newest are read again, for late commits
STALE_AFTER_SECONDS = 5.0  # without a successful read of the log for this long, nothing is served
BATCH = 5000  # more new rows than this in one read: everything counts as changed
DEAL_ANSWER_SECONDS = 5.0  # answers that say which products are on a live deal now are kept this long at most
RECENT = 50_000  # changes remembered in order, for followers that catch up by tick (shop/facet_index.py)

_CHANGES_SQL = (
    f"SELECT id, product_id, kind FROM {CatalogChange._meta.db_table} "  # noqa: S608 - model's table
    "WHERE id > %s ORDER BY id LIMIT %s"
)
_NEWEST_SQL = f"SELECT coalesce(max(id), 0) FROM {CatalogChange._meta.db_table}"  # noqa: S608


class ChangeFeed:
    """The versions this process knows of each product and kind of change, moved as it reads the log."""

    def __init__(self):
        self._lock = threading.Lock()
        self.epoch = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.epoch += 1  # followers start over: ticks count from 0 again
            self.recent: deque[tuple[int, int | None, str]] = deque(maxlen=RECENT)  # (tick, product, kind)
            self.tick = 0  # moves by one per change read; answers remember the tick they were rendered at
            self._shown: dict[int, int] = {}  # product -> tick of its last change a list shows
            self._detail: dict[int, int] = {}  # product -> tick of its last change its page shows
            self._channels: dict[str, int] = {}
            self._floor: int | None = None  # rows above it are read; None before the first read
            self._read_ids: set[int] = set()  # ids above the floor already read
            self._newest_at: deque[tuple[float, int]] = deque()  # (when, newest id then), to move the floor
            self._last_read = 0.0  # monotonic time of the last successful read

    # Reading the log -------------------------------------------------------------------------------------

    def read(self) -> None:
        """Read the rows written since the last read and move versions (one query, on this thread's
        connection)."""
        now = time.monotonic()
        with connection.cursor() as cursor:
            if self._floor is None:
                cursor.execute(_NEWEST_SQL)
                newest = cursor.fetchone()[0]
                with self._lock:
                    if self._floor is None:
                        self._floor = newest
                        self._newest_at.append((now, newest))
                        self._last_read = now
                return
            cursor.execute(_CHANGES_SQL, [self._floor, BATCH])
            rows = cursor.fetchall()
        with self._lock:
            self._apply(rows, now)

    def _apply(self, rows: list[tuple[int, int | None, str]], now: float) -> None:
        if len(rows) >= BATCH:  # too far behind to tell what changed: all of it did
            self.tick += 1
            self._channels[Kind.ALL] = self.tick
            self.recent.append((self.tick, None, Kind.ALL))
            newest = rows[-1][0]
            self._floor, self._read_ids = newest, set()
            self._newest_at = deque([(now, newest)])
            self._last_read = now
            return
        for row_id, product_id, kind in rows:
            if row_id in self._read_ids:
                continue
            self._read_ids.add(row_id)
            self.tick += 1
            self.recent.append((self.tick, product_id, kind))
            if product_id is None:
                self._channels[kind] = self.tick
                continue
            self._detail[product_id] = self.tick
            if kind not in _DETAIL_ONLY:
                self._shown[product_id] = self.tick
            channel = _PRODUCT_KIND_CHANNEL.get(kind)
            if channel is not None:
                self._channels[channel] = self.tick
        newest = max([self._newest_at[-1][1] if self._newest_at else self._floor, *(r[0] for r in rows)])
        self._newest_at.append((now, newest))
        # Rows numbered before the newest of LATE_COMMIT_SECONDS ago are not read again.
        while len(self._newest_at) > 1 and self._newest_at[1][0] <= now - LATE_COMMIT_SECONDS:
            self._newest_at.popleft()
        floor = self._newest_at[0][1] if self._newest_at[0][0] <= now - LATE_COMMIT_SECONDS else self._floor
        if floor > self._floor:
            self._floor = floor
            self._read_ids = {i for i in self._read_ids if i > floor}
        self._last_read = now

    def changes_since(self, tick: int) -> list[tuple[int, int | None, str]] | None:
        """The changes read after `tick`, in order; None when some of them are no longer remembered."""
        with self._lock:
            if tick >= self.tick:
                return []
            if not self.recent or self.recent[0][0] > tick + 1:
                return None
            found = []
            for change in reversed(self.recent):
                if change[0] <= tick:
                    break
                found.append(change)
            return found[::-1]

    def fresh(self) -> bool:
        """Whether the log was read recently enough for kept answers to be trusted."""
        return self._floor is not None and time.monotonic() - self._last_read < STALE_AFTER_SECONDS

    # Judging an answer ------------------------------------------------------------------------------------

    def moved_since(self, tick: int, *, products: Iterable[int], detail: bool, channels: Iterable[str]) -> bool:
        versions = self._detail if detail else self._shown
        if any(versions.get(p, 0) > tick for p in products):
            return True
        return any(self._channels.get(c, 0) > tick for c in channels) or self._channels.get(Kind.ALL, 0) > tick


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    language: str
    tick: int
    born: float
    products: tuple[int, ...]
    detail: bool
    channels: tuple[str, ...]
    max_age: float

    @classmethod
    def make(cls, *, body: bytes, language: str, tick: int, products: Iterable[int], detail: bool,
             channels: Iterable[str]) -> Entry:
        channels = tuple(sorted(set(channels)))
        # Whether a deal is running now also moves with the clock (an announced deal starts without a write).
        max_age = min(settings.LIVEDOCK_CATALOG_CACHE_SECONDS, DEAL_ANSWER_SECONDS) if Kind.DEAL in channels \
            else settings.LIVEDOCK_CATALOG_CACHE_SECONDS
        return cls(body=body, etag=etag_of(body), language=language, tick=tick, born=time.monotonic(),
                   products=tuple(products), detail=detail, channels=channels, max_age=max_age)

    @property
    def size(self) -> int:
        return len(self.body) + 8 * len(self.products) + 200


class CatalogCache:
    """A bounded, least-recently-used store of rendered answers, judged against the change feed."""

    def __init__(self):
        self.feed = ChangeFeed()
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._poller: threading.Thread | None = None
        self._poller_pid: int | None = None
        self.hits = self.misses = 0

    def clear(self) -> None:
        """Forget every answer and what the feed has read (what followers keep is then loaded again)."""
        self.drop_answers()
        self.feed.reset()

    def drop_answers(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    # The log reader ---------------------------------------------------------------------------------------

    def _poll_seconds(self) -> float:
        return settings.LIVEDOCK_CATALOG_CHANGE_POLL_SECONDS

    def follow(self) -> bool:
        """Keep the feed current: inline when polling every request (tests), else by a thread of this
        process started on first use. False when the feed cannot be trusted now."""
        interval = self._poll_seconds()
        if interval <= 0:
            self.feed.read()
            return True
        if self._poller_pid != os.getpid():  # first use in this process (the server forks after import)
            with self._lock:
                if self._poller_pid != os.getpid():
                    self._poller_pid = os.getpid()
                    self._poller = threading.Thread(target=self._poll_forever, args=(interval,),
                                                    name="catalog-changes", daemon=True)
                    self._poller.start()
        return self.feed.fresh()

    def _poll_forever(self, interval: float) -> None:
        while True:
            try:
                self.feed.read()
            except Exception:  # noqa: BLE001 - the database may be away; answers stop being served meanwhile
                log.warning("catalog change log unreadable", exc_info=True)
            finally:
                connections.close_all()  # back to the process's pool between reads
            time.sleep(interval)

    # Answers ----------------------------------------------------------------------------------------------

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            too_old = time.monotonic() - entry.born > entry.max_age
            if too_old or self.feed.moved_since(entry.tick, products=entry.products, detail=entry.detail,
                                                channels=entry.channels):
                self._drop(key)
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, *, body: bytes, language: str, tick: int, products: Iterable[int], detail: bool,
            channels: Iterable[str]) -> Entry:
        entry = Entry.make(body=body, language=language, tick=tick, products=products, detail=detail,
                           channels=channels)
        budget = settings.LIVEDOCK_CATALOG_CACHE_MB * 1024 * 1024
        with self._lock:
            if entry.size > budget // 16:  # one huge answer must not empty the store
                return entry
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > budget:
                self._drop(next(iter(self._entries)))
        return entry

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key)
        self._bytes -= entry.size

    def __len__(self) -> int:
        return len(self._entries)


def entry_headers(entry: Entry, *, public: bool) -> list[tuple[str, str]]:
    """The headers of a catalog answer besides the API's security headers: its tag, its language, and how long
    others may keep it (a CDN briefly when anonymous; browsers ask again with the tag every time)."""
    if public:
        cache_control = f"public, max-age=0, s-maxage={settings.LIVEDOCK_CATALOG_SHARED_MAX_AGE}"
    else:
        cache_control = "private, no-cache"
    return [("ETag", entry.etag), ("Cache-Control", cache_control), ("Content-Language", entry.language),
            ("Vary", "Accept-Language")]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def cache_key(*, route: str, query_string: str, language: str, arg: str = "") -> str:
    """The one key of an answer: its route (and slug), its query with parameters in a fixed order, and the
    language it is written in. Currency and every filter are in the query."""
    pairs = sorted(parse_qsl(query_string, keep_blank_values=True))
    return f"{route}|{arg}|{language}|{pairs!r}"


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match as RFC 9110 compares for GET: weakly, any listed tag or '*'."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


catalog_cache = CatalogCache()
