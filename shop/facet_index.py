"""The facts search filters and counts, for every product, in columns kept in memory per process.

A search with facets asks for counts over everything it matches: a word like "boots" matches a sixth of the
catalog, and counting that in SQL reads tens of thousands of rows per request. Here each process keeps, per
product, what the facets count and the filters test (category, brand, maker, material, sizes per size system,
raw size labels, colours, widths, in stock, from-price per currency, created, name) as numpy columns, and a
search is: the matching products of the text (one indexed SQL statement per distinct text, kept until a text
changes), then masks, counts and a sort over the columns, in about a millisecond at 100,000 products.

The columns follow the catalog change log (shop/catalog_cache.py) like the response cache does: a change to a
product reloads that product's row (one statement for all changed), a change without a product (brand,
category, maker, FX rates, terms) reloads everything, and so does a gap in what this process has read. What
lists show of stock may so lag by the log's polling interval, as the response cache's answers do; checkout
never reads this. docs/catalog.md, "Search", has the whole picture; tests/shop/test_facet_index.py holds the
answers equal to the database's own for random filters.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import connection

from .languages import BASE_LANGUAGE
from .models import CatalogChange
from .search import ProductFilters, price_band_range, text_matches
from .translations import TermTexts

Kind = CatalogChange.Kind
SIZE_SYSTEMS = ("EU", "UK", "US_M", "US_W", "JP", "CN", "APPAREL")
TEXTS_KEPT = 4096  # distinct search texts whose matches are kept per process
_WORD_BITS = 64
_SEP = "\x1f"  # between the values of a multi-valued column, read as one text (splitting text is cheap)
_SIZES_SQL = ", ".join(
    f"(SELECT string_agg(x, E'\\x1f') FROM jsonb_array_elements_text(s.sizes -> '{system}') x)"  # noqa: S608
    for system in SIZE_SYSTEMS)

_ROWS_SQL = """
SELECT p.id, p.is_active AND m.is_active, p.category_id, p.brand_id, p.manufacturer_id, p.upper_material,
       (extract(epoch FROM p.created_at) * 1000000)::bigint, p.name,
       s.id IS NOT NULL, {sizes}, array_to_string(s.colours, E'\\x1f'), array_to_string(s.widths, E'\\x1f'),
       (SELECT string_agg(DISTINCT upper(v.size_label), E'\\x1f') FROM shop_variant v
         WHERE v.product_id = p.id AND v.is_active),
       EXISTS (SELECT 1 FROM shop_stocklevel sl WHERE sl.variant_id = ANY (s.variant_ids) AND sl.on_hand > sl.reserved),
       {prices}
  FROM shop_product p
  JOIN shop_manufacturer m ON m.id = p.manufacturer_id
  LEFT JOIN shop_productsearch s ON s.product_id = p.id AND s.language = 'en'
  LEFT JOIN LATERAL (SELECT {price_columns} FROM shop_productlisting l WHERE l.product_id = p.id) lp ON true
"""


def _rows_sql(currencies: list[str]) -> str:
    """The rows' query, with a from-price column per storefront currency."""
    return (_ROWS_SQL.replace("{sizes}", _SIZES_SQL)
            .replace("{prices}", ", ".join(f"lp.price_{i}" for i in range(len(currencies))))
            .replace("{price_columns}", ", ".join(
                f"max(l.from_price::float8) FILTER (WHERE l.currency = '{code}') AS price_{i}"  # noqa: S608
                for i, code in enumerate(currencies))))


_DIRECTORY_SQL = """
SELECT 'category', c.id, c.slug, c.path, c.name, NULL FROM shop_category c
UNION ALL SELECT 'category_text', ct.category_id, NULL, NULL, ct.name, ct.language FROM shop_categorytranslation ct
UNION ALL SELECT 'brand', b.id, b.slug, NULL, NULL, NULL FROM shop_brand b
UNION ALL SELECT 'manufacturer', m.id, m.slug, NULL, NULL, NULL FROM shop_manufacturer m
UNION ALL SELECT 'term', NULL, t.kind, t.key, t.text, t.language FROM shop_catalogterm t
"""


class _Codes:
    """A single-valued text column as integer codes."""

    def __init__(self):
        self.codes: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found


class _Sets:
    """A multi-valued text column (sizes, colours, widths): one bit per distinct value, in 64-bit words."""

    def __init__(self, capacity: int):
        self.codes: dict[str, int] = {}
        self.values: list[str] = []
        self.bits = np.zeros((capacity, 1), dtype=np.uint64)

    def grow(self, capacity: int) -> None:
        bigger = np.zeros((capacity, self.bits.shape[1]), dtype=np.uint64)
        bigger[: len(self.bits)] = self.bits
        self.bits = bigger

    def put(self, rows: np.ndarray, values: list[str | None]) -> None:
        """Set the values of these rows (`values[k]` the values of `rows[k]` joined by _SEP, or None)."""
        self.bits[rows] = 0
        split = [v.split(_SEP) if v else () for v in values]
        codes_of, values_known = self.codes, self.values
        codes = []
        for held in split:
            for value in held:
                code = codes_of.get(value)
                if code is None:
                    code = codes_of[value] = len(values_known)
                    values_known.append(value)
                codes.append(code)
        if not codes:
            return
        words = len(values_known) // _WORD_BITS + 1
        if words > self.bits.shape[1]:
            self.bits = np.hstack([self.bits, np.zeros((len(self.bits), words - self.bits.shape[1]), np.uint64)])
        at = np.repeat(rows, [len(held) for held in split])
        code_array = np.array(codes, dtype=np.uint64)
        np.bitwise_or.at(self.bits, (at, (code_array // _WORD_BITS).astype(np.int64)),
                         np.left_shift(np.uint64(1), code_array % np.uint64(_WORD_BITS)))

    def has(self, value: str) -> np.ndarray | None:
        """A mask of the rows holding `value`; None when no row ever did."""
        code = self.codes.get(value)
        if code is None:
            return None
        bit = np.uint64(1) << np.uint64(code % _WORD_BITS)
        return (self.bits[:, code // _WORD_BITS] & bit) != 0

    def counts(self, rows: np.ndarray) -> dict[str, int]:
        """How many of these rows hold each value (values held by none left out)."""
        found: dict[str, int] = {}
        chosen = self.bits[rows]
        for code, value in enumerate(self.values):
            bit = np.uint64(1) << np.uint64(code % _WORD_BITS)
            n = int(np.count_nonzero(chosen[:, code // _WORD_BITS] & bit))
            if n:
                found[value] = n
        return found


@dataclass(frozen=True)
class Counted:
    """The result of a search with facets: counts per facet (value -> count) and the page's product ids."""

    total: int
    categories: dict[tuple[str, str], int]  # (slug, name in the language) -> count
    materials: dict[str, int]
    sizes: dict[str, int]
    colours: dict[str, int]
    widths: dict[str, int]
    bands: dict[int, int]  # band index (0: below the first bound) -> count
    in_stock: dict[bool, int]
    on_live_deal: dict[bool, int]
    page_ids: list[int]
    terms: TermTexts  # to label materials, colours and widths


class FacetIndex:
    def __init__(self):
        self._lock = threading.RLock()
        self._epoch: int | None = None  # the change feed's epoch the columns were loaded in; None: not loaded
        self._tick = 0

    # Loading ----------------------------------------------------------------------------------------------

    def _allocate(self, capacity: int) -> None:
        self.capacity = capacity
        self.n = 0
        self.position: dict[int, int] = {}
        self.ids = np.zeros(capacity, dtype=np.int64)
        self.listed = np.zeros(capacity, dtype=bool)
        self.category = np.zeros(capacity, dtype=np.int64)
        self.brand = np.zeros(capacity, dtype=np.int64)
        self.maker = np.zeros(capacity, dtype=np.int64)
        self.material = np.zeros(capacity, dtype=np.int32)
        self.created = np.zeros(capacity, dtype=np.int64)
        self.stocked = np.zeros(capacity, dtype=bool)
        self.names: list[str] = [""] * capacity
        self._name_order: np.ndarray | None = None
        self.materials = _Codes()
        self.currencies = sorted(settings.LIVEDOCK_SUPPORTED_CURRENCIES)
        self.prices = {code: np.full(capacity, np.nan) for code in self.currencies}
        self.sizes = {system: _Sets(capacity) for system in SIZE_SYSTEMS}
        self.labels = _Sets(capacity)
        self.colours = _Sets(capacity)
        self.widths = _Sets(capacity)
        self._texts: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def _grow(self, capacity: int) -> None:
        def bigger(array: np.ndarray, fill=0) -> np.ndarray:
            made = np.full(capacity, fill, dtype=array.dtype)
            made[: self.capacity] = array
            return made
        for name in ("ids", "listed", "category", "brand", "maker", "material", "created", "stocked"):
            setattr(self, name, bigger(getattr(self, name)))
        self.prices = {code: bigger(column, np.nan) for code, column in self.prices.items()}
        self.names.extend([""] * (capacity - self.capacity))
        for sets in (*self.sizes.values(), self.labels, self.colours, self.widths):
            sets.grow(capacity)
        self.capacity = capacity

    def _load_directory(self) -> None:
        self.category_paths: dict[int, str] = {}
        self.category_slugs: dict[int, str] = {}
        self.category_names: dict[int, str] = {}
        self.category_texts: dict[tuple[int, str], str] = {}
        self.brand_ids: dict[str, int] = {}
        self.maker_ids: dict[str, int] = {}
        self._term_rows: list[tuple[str, str, str, str]] = []
        self._terms: dict[str, TermTexts] = {}
        with connection.cursor() as cursor:
            cursor.execute(_DIRECTORY_SQL)
            for kind, pk, slug, path, name, language in cursor.fetchall():
                if kind == "category":
                    self.category_paths[pk], self.category_slugs[pk], self.category_names[pk] = path, slug, name
                elif kind == "category_text":
                    self.category_texts[(pk, language)] = name
                elif kind == "brand":
                    self.brand_ids[slug] = pk
                elif kind == "term":
                    self._term_rows.append((slug, path, language, name))  # kind, key, language, text
                else:
                    self.maker_ids[slug] = pk

    def _load_all(self) -> None:
        collecting = gc.isenabled()
        gc.disable()  # a million small lists made here are garbage at once; the collector would chase them
        try:
            self._read_all()
        finally:
            if collecting:
                gc.enable()

    def _read_all(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM shop_product")
            count = cursor.fetchone()[0]
            self._allocate(max(1024, int(count * 1.25)))
            self._load_directory()
            cursor.execute(_rows_sql(self.currencies))
            self._put(cursor.fetchall())

    def _reload(self, product_ids: set[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(_rows_sql(self.currencies) + " WHERE p.id = ANY (%s)", [sorted(product_ids)])
            rows = cursor.fetchall()
        for pk in product_ids - {row[0] for row in rows}:  # deleted
            if pk in self.position:
                self.listed[self.position[pk]] = False
        self._put(rows)

    def _put(self, rows: list[tuple]) -> None:
        """Write these products' rows (a column at a time), adding the products not yet known."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        ids = columns[0]
        for pk in ids:
            if pk not in self.position:
                if self.n == self.capacity:
                    self._grow(self.capacity * 2)
                self.position[pk] = self.n
                self.n += 1
        at = np.array([self.position[pk] for pk in ids], dtype=np.int64)
        (_ids, listed, category, brand, maker, material, created, names, searchable, *rest) = columns
        sizes = rest[:len(SIZE_SYSTEMS)]
        colours, widths, labels, stocked, *prices = rest[len(SIZE_SYSTEMS):]
        self.ids[at] = ids
        # A product without its search rows yet is not searchable (the database writes them with it).
        self.listed[at] = np.array(listed, dtype=bool) & np.array(searchable, dtype=bool)
        self.category[at], self.brand[at], self.maker[at] = category, brand, maker
        self.material[at] = [self.materials.code(m or "") for m in material]
        self.created[at] = created
        self.stocked[at] = stocked
        for i, name in zip(at.tolist(), names, strict=True):
            self.names[i] = name
        self._name_order = None
        for code, column in zip(self.currencies, prices, strict=True):
            self.prices[code][at] = np.array(column, dtype=np.float64)  # None (no listing) -> NaN
        for system, held in zip(SIZE_SYSTEMS, sizes, strict=True):
            self.sizes[system].put(at, held)
        self.labels.put(at, labels)
        self.colours.put(at, colours)
        self.widths.put(at, widths)

    # Following the change log -----------------------------------------------------------------------------

    def _follow(self, feed, trusted: bool) -> None:
        """Bring the columns up to what the change feed has read (under the lock). A change read while loading
        is applied again next time: applying one twice does no harm."""
        changes = feed.changes_since(self._tick) if trusted and self._epoch == feed.epoch else None
        if changes is None or any(pid is None and kind != Kind.DEAL for _tick, pid, kind in changes):
            # not loaded, too far behind, the log unreadable, or a change that reaches every product
            epoch, tick = feed.epoch, feed.tick
            self._load_all()
            self._epoch, self._tick = epoch, tick
            return
        touched = {pid for _tick, pid, kind in changes if pid is not None and kind != Kind.SHOWN}
        if touched:
            self._reload(touched)
        if any(kind in (Kind.TEXT, Kind.LISTING) for _tick, _pid, kind in changes):
            self._texts.clear()  # a product's words or the catalog's vocabulary moved
        if changes:
            self._tick = changes[-1][0]

    def terms(self, language: str) -> TermTexts:
        """The catalog's coded terms in a language, as loaded with the columns (a term written reloads them)."""
        found = self._terms.get(language)
        if found is None:
            found = self._terms[language] = TermTexts(
                language, [row for row in self._term_rows if row[2] in (language, BASE_LANGUAGE)])
        return found

    # Searching --------------------------------------------------------------------------------------------

    def _matches(self, language: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (language, " ".join(text.split()).lower())
        found = self._texts.get(key)
        if found is not None:
            self._texts.move_to_end(key)
            return found
        rows = [(self.position[pk], rank) for pk, rank in text_matches(text=text, language=language)
                if pk in self.position]
        found = (np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.float64))
        self._texts[key] = found
        while len(self._texts) > TEXTS_KEPT:
            self._texts.popitem(last=False)
        return found

    def name_order(self) -> np.ndarray:
        """Each row's place among all rows ordered by name (as PostgreSQL orders text in the C collation)."""
        if self._name_order is None:
            order = sorted(range(self.n), key=self.names.__getitem__)
            ranks = np.zeros(self.capacity, dtype=np.int64)
            ranks[order] = np.arange(self.n)
            self._name_order = ranks
        return self._name_order

    def search(self, filters: ProductFilters, *, currency: str, feed, trusted: bool, size_system: str,
               bounds: list[Decimal], ordering: tuple[str, ...], offset: int, limit: int) -> Counted:
        """Filter, count and cut a page, as shop.selectors.product_list and a facet count over it would."""
        with self._lock:
            self._follow(feed, trusted)
            return self._search(filters, currency=currency, size_system=size_system, bounds=bounds,
                                ordering=ordering, offset=offset, limit=limit)

    def _search(self, filters: ProductFilters, *, currency: str, size_system: str, bounds: list[Decimal],
                ordering: tuple[str, ...], offset: int, limit: int) -> Counted:
        refine = filters.refinements
        n = self.n
        prices = self.prices.get(currency)
        if prices is None:
            prices = np.full(n, np.nan)
        price = prices[:n]
        mask = self.listed[:n] & ~np.isnan(price)
        rank = np.zeros(n)
        text = (filters.search or "").strip()
        if text:
            rows, ranks = self._matches(refine.language, text)
            matched = np.zeros(n, dtype=bool)
            matched[rows] = True
            rank[rows] = ranks
            mask &= matched
        if filters.category is not None:
            path = filters.category.path
            subtree = [pk for pk, p in self.category_paths.items() if p == path or p.startswith(path + "/")]
            mask &= np.isin(self.category[:n], np.array(subtree, dtype=np.int64))
        for slug, ids, column in ((filters.brand_slug, self.brand_ids, self.brand),
                                  (filters.manufacturer_slug, self.maker_ids, self.maker)):
            if slug:
                mask &= column[:n] == ids.get(slug, -1)
        if filters.price_min is not None:
            mask &= price >= float(filters.price_min)
        if filters.price_max is not None:
            mask &= price <= float(filters.price_max)
        if refine.price_band:
            low, high = price_band_range(currency=currency, key=refine.price_band)
            mask &= price >= float(low)
            if high is not None:
                mask &= price < float(high)
        if filters.in_stock is not None:
            mask &= self.stocked[:n] == filters.in_stock
        if refine.material:
            mask &= self.material[:n] == self.materials.codes.get(refine.material, -1)
        sets_filters = [(self.widths, refine.width), (self.colours, refine.colour)]
        if filters.size and refine.size_system:
            sets_filters.append((self.sizes.get(refine.size_system), filters.size))
        elif filters.size:
            sets_filters.append((self.labels, filters.size.upper()))
        for sets, value in sets_filters:
            if value:
                has = sets.has(value) if sets is not None else None
                mask &= has[:n] if has is not None else False
        live = np.isin(self.ids[:n], np.fromiter(refine.live_product_ids, dtype=np.int64))
        if refine.on_live_deal is not None:
            mask &= live == refine.on_live_deal

        rows = np.flatnonzero(mask)
        band = np.searchsorted(np.array([float(b) for b in bounds]), price[rows], side="right")
        stocked = self.stocked[rows]
        live_rows = live[rows]
        sizes = self.sizes.get(size_system)
        return Counted(
            total=len(rows),
            categories={(self.category_slugs[pk], self.category_texts.get((pk, refine.language),
                                                                           self.category_names[pk])): count
                        for pk, count in _tally(self.category[rows]).items()},
            materials={self.materials.values[code]: count for code, count in _tally(self.material[rows]).items()},
            sizes=sizes.counts(rows) if sizes is not None else {},
            colours=self.colours.counts(rows),
            widths=self.widths.counts(rows),
            bands=_tally(band),
            in_stock={value: count for value, count in ((True, int(stocked.sum())),
                                                        (False, int(len(rows) - stocked.sum()))) if count},
            on_live_deal={value: count for value, count in ((True, int(live_rows.sum())),
                                                            (False, int(len(rows) - live_rows.sum()))) if count},
            page_ids=self._page(rows, rank, price, ordering, offset, limit),
            terms=self.terms(refine.language),
        )

    def _page(self, rows: np.ndarray, rank: np.ndarray, price: np.ndarray, ordering: tuple[str, ...],
              offset: int, limit: int) -> list[int]:
        if limit <= 0 or offset >= len(rows):
            return []
        columns = {"search_rank": rank, "created_at": self.created, "from_price": price, "id": self.ids}
        keys = []
        for field in ordering:
            name = field.lstrip("-")
            column = self.name_order() if name == "name" else columns[name]
            values = column[rows]
            keys.append(-values if field.startswith("-") else values)
        order = np.lexsort(keys[::-1])  # lexsort sorts by its last key first
        return [int(pk) for pk in self.ids[rows[order[offset:offset + limit]]]]


def _tally(values: np.ndarray) -> dict:
    found, counts = np.unique(values, return_counts=True)
    return {v.item(): int(c) for v, c in zip(found, counts, strict=True)}


facet_index = FacetIndex()
