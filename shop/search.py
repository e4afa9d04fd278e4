"""Catalog search per language: matching, ranking, facets and suggestions.

The rows searched are `ProductSearch`, one per product and language, written by the database (migration
shop 0009): a weighted tsvector (A name, B category path and brand, C material, colour and gender terms,
D description) in the language's own text search configuration, plus the English texts for every other
language; Japanese, Korean and Chinese texts are indexed as characters and character pairs. How it all works
is in docs/catalog.md, "Search".

Plain functions over querysets: the catalog selectors call `products_search_apply` for a product list, the API
calls `product_facets` and `search_suggestions`. This module reads shop's tables only; the products on a live
deal now come in as an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value

from config.errors import InvalidInput

from .models import CatalogTerm, Category, Product, ProductSearch
from .money import quantize

if TYPE_CHECKING:
    from .facet_index import Counted

# PostgreSQL's text search configuration per storefront language; the others are matched by characters.
CONFIGS = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian"}
CJK_LANGUAGES = frozenset({"ja", "ko", "zh"})
# Kana, CJK ideographs, Hangul syllables, compatibility ideographs: the same ranges as shop_cjk_tsvector.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_WORD_SPLIT = re.compile(r"[\W_]+")
MAX_WORDS = 8
# A word not in the vocabulary also matches its nearest vocabulary words (pg_trgm similarity above its
# default threshold, 0.3): "chelsae" finds "chelsea".
MAX_CORRECTIONS = 2
SUGGESTIONS = 8

# Price bands per currency: the upper bounds of each band but the last, in the currency's units. Round numbers
# of similar size in each market (about 50/100/200/400 US dollars); a product falls in one band by its
# from-price. A currency not listed here has the bands of the default below, scaled by nothing: list it.
PRICE_BANDS: dict[str, tuple[int, ...]] = {
    "USD": (50, 100, 200, 400),
    "EUR": (50, 100, 200, 400),
    "GBP": (40, 80, 150, 300),
    "AUD": (75, 150, 300, 600),
    "CAD": (75, 150, 300, 600),
    "SGD": (75, 150, 300, 600),
    "CNY": (300, 700, 1500, 3000),
    "JPY": (7_500, 15_000, 30_000, 60_000),
    "KRW": (70_000, 140_000, 280_000, 550_000),
}
_DEFAULT_BANDS = PRICE_BANDS["USD"]


def price_bands(currency: str) -> list[tuple[str, Decimal, Decimal | None]]:
    """The bands of a currency as (key, lowest price, price the band stops below; None for the last)."""
    bounds = [Decimal(b) for b in PRICE_BANDS.get(currency, _DEFAULT_BANDS)]
    lows = [Decimal(0), *bounds]
    highs: list[Decimal | None] = [*bounds, None]
    return [(f"{low}-{'' if high is None else high}", low, high) for low, high in zip(lows, highs, strict=True)]


def price_band_range(*, currency: str, key: str) -> tuple[Decimal, Decimal | None]:
    """The price range a band key names in a currency; an unknown key is a 400 listing the keys."""
    bands = price_bands(currency)
    for band_key, low, high in bands:
        if band_key == key:
            return low, high
    raise InvalidInput("Unknown price band.",
                       fields={"price_band": [f"Choose one of: {', '.join(k for k, _, _ in bands)} ({currency})."]})


@dataclass(frozen=True)
class SearchRefinements:
    """The search and facet filters of a product list, beside shop.selectors.ProductFilters."""

    language: str = "en"
    size_system: str | None = None  # with `size`: match the size as shown in that system
    width: str | None = None
    colour: str | None = None
    material: str | None = None
    price_band: str | None = None
    on_live_deal: bool | None = None
    live_product_ids: frozenset[int] = field(default_factory=frozenset)

    def uses_search_rows(self, *, size: str | None) -> bool:
        return bool(self.width or self.colour or (size and self.size_system))


@dataclass
class ProductFilters:
    category: Category | None = None
    brand_slug: str | None = None
    manufacturer_slug: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    size: str | None = None
    in_stock: bool | None = None
    search: str | None = None
    ordering: str = "newest"
    # Language, size system, width, colour, material, price band, live deals: above.
    refinements: SearchRefinements = field(default_factory=SearchRefinements)



def search_words(text: str) -> list[str]:
    """The words of a query, lower-cased, as the database splits a document (a run of CJK characters is a word
    of its own); at most MAX_WORDS."""
    spaced = _CJK.sub(lambda m: f" {m.group(0)} ", text.lower())
    return [w for w in _WORD_SPLIT.split(spaced) if w][:MAX_WORDS]


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _cjk_phrase(word: str) -> str:
    """The pairs of neighbouring characters of a CJK word, each following the last (one character alone)."""
    if len(word) == 1:
        return _lexeme(word)
    return " <-> ".join(_lexeme(word[i:i + 2]) for i in range(len(word) - 1))


def _corrections(words: list[str], language: str) -> dict[str, list[str]]:
    """For each word missing from the vocabulary (of this language and English), its nearest words there.
    One query for all words; none when no word can have a correction."""
    candidates = [w for w in words if len(w) >= 3 and not _CJK.search(w) and not w.isdigit()]
    if not candidates:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.word, c.word
              FROM unnest(%s::text[]) AS q (word)
             CROSS JOIN LATERAL (
                   SELECT sw.word, max(similarity(sw.word, q.word)) AS score
                     FROM shop_searchword sw
                    WHERE sw.word %% q.word AND sw.language = ANY (%s)
                    GROUP BY sw.word
                    ORDER BY score DESC, sw.word
                    LIMIT %s) c
             -- a word in the vocabulary needs no correction: the trigram search is for the others
             WHERE NOT EXISTS (SELECT 1 FROM shop_searchword known
                                WHERE known.language = ANY (%s) AND known.word = q.word)
            """,
            [candidates, sorted({language, "en"}), MAX_CORRECTIONS, sorted({language, "en"})],
        )
        found: dict[str, list[str]] = {}
        for word, near in cursor.fetchall():
            found.setdefault(word, []).append(near)
    return found


def search_query(*, text: str, language: str) -> SearchQuery | None:
    """The tsquery for a buyer's text: every word must match, in the language's configuration or in English,
    or as one of its corrections; a CJK word matches as its character pairs in order. None when the text
    has no word."""
    words = search_words(text)
    if not words:
        return None
    config = CONFIGS.get(language, "simple")
    corrections = _corrections(words, language)
    query: SearchQuery | None = None
    for word in words:
        if _CJK.search(word):
            part = SearchQuery(_cjk_phrase(word), config="simple", search_type="raw")
        else:
            part = None
            for alternative in [word, *corrections.get(word, [])]:
                configs = [config] if config == "english" else [config, "english"]
                for name in configs:
                    one = SearchQuery(alternative, config=name, search_type="plain")
                    part = one if part is None else part | one
        query = part if query is None else query & part
    return query


def products_search_apply(products: QuerySet[Product], *, text: str | None, size: str | None,
                          refinements: SearchRefinements) -> QuerySet[Product]:
    """Products whose search row in the buyer's language matches the text and the facet filters kept there
    (size in a size system, width, colour), annotated with `search_rank` (0 without text). All conditions on
    the row go in one filter(), so they read the same row."""
    condition = Q(search_rows__language=refinements.language)
    query = search_query(text=text, language=refinements.language) if text else None
    if text and query is None:  # nothing but separators: matches nothing
        return products.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    if query is not None:
        condition &= Q(search_rows__vector=query)
    if refinements.width:
        condition &= Q(search_rows__widths__contains=[refinements.width])
    if refinements.colour:
        condition &= Q(search_rows__colours__contains=[refinements.colour])
    if size and refinements.size_system:
        condition &= Q(**{f"search_rows__sizes__{refinements.size_system}__contains": [size]})
    products = products.filter(condition)
    if query is not None:
        return products.annotate(search_rank=SearchRank(F("search_rows__vector"), query))
    return products.annotate(search_rank=Value(0.0, output_field=FloatField()))


# --- facets ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FacetBucket:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facets:
    total: int
    size_system: str
    currency: str
    category: list[FacetBucket]
    size: list[FacetBucket]
    width: list[FacetBucket]
    colour: list[FacetBucket]
    material: list[FacetBucket]
    price_band: list[FacetBucket]
    in_stock: list[FacetBucket]
    on_live_deal: list[FacetBucket]
    # The ids of the page asked for, in the list's order (the same statement ranks and cuts it).
    page_ids: list[int] = field(default_factory=list)


def _size_key(label: str):
    try:
        return (0, Decimal(label), label)
    except ArithmeticError:
        return (1, Decimal(0), label)


def facets_build(counted: Counted, *, currency: str, size_system: str, language: str,
                 selected: dict[str, str | None]) -> Facets:
    """The facets of a search from its counts (shop.facet_index), labelled in `language` and ordered: most
    frequent first, sizes by size, price bands and yes/no from the first.

    Category, material, price band, in stock and live deal have one value per product, so their counts add up
    to `total`; a product counts once under each size, width and colour it has (an active variant of).
    `selected` maps a facet name to the value its filter asks for."""
    terms = counted.terms

    def made(name: str, rows, label_for=None, order=None) -> list[FacetBucket]:
        buckets = [FacetBucket(value=value, label=label_for(value) if label_for else value, count=count,
                               selected=selected.get(name) == value) for value, count in rows]
        return sorted(buckets, key=order or (lambda b: (-b.count, b.label)))

    bands = price_bands(currency)
    band_order = [key for key, _low, _high in bands]

    def band_label(key: str) -> str:
        low, high = price_band_range(currency=currency, key=key)
        if high is None:
            return f"{quantize(low, currency)}+ {currency}"
        return f"{quantize(low, currency)}–{quantize(high, currency)} {currency}"

    def flag(counts: dict[bool, int]):
        return [("true" if value else "false", count) for value, count in counts.items()]

    categories = {slug: label for slug, label in counted.categories}
    return Facets(
        total=counted.total, size_system=size_system, currency=currency,
        category=made("category", [(slug, count) for (slug, _label), count in counted.categories.items()],
                      label_for=categories.__getitem__),
        size=made("size", counted.sizes.items(), order=lambda b: _size_key(b.value)),
        width=made("width", counted.widths.items(), label_for=lambda v: terms.text(CatalogTerm.Kind.WIDTH, v),
                   order=lambda b: b.value),
        colour=made("colour", counted.colours.items(), label_for=lambda v: terms.text(CatalogTerm.Kind.COLOUR, v)),
        material=made("material", counted.materials.items(),
                      label_for=lambda v: terms.text(CatalogTerm.Kind.MATERIAL, v)),
        price_band=made("price_band", [(band_order[i], count) for i, count in counted.bands.items()],
                        label_for=band_label, order=lambda b: band_order.index(b.value)),
        in_stock=made("in_stock", flag(counted.in_stock),
                      label_for=lambda v: "In stock" if v == "true" else "Out of stock",
                      order=lambda b: b.value != "true"),
        on_live_deal=made("on_live_deal", flag(counted.on_live_deal),
                          label_for=lambda v: "On a live deal now" if v == "true" else "No live deal",
                          order=lambda b: b.value != "true"),
        page_ids=counted.page_ids,
    )


def text_matches(*, text: str, language: str) -> list[tuple[int, float]]:
    """The products whose search row in `language` matches the text, with their relevance (ts_rank, as the
    list orders by): one statement on the language's text index. Nothing for a text without a word."""
    query = search_query(text=text, language=language)
    if query is None:
        return []
    return list(ProductSearch.objects.filter(language=language, vector=query)
                .annotate(rank=SearchRank(F("vector"), query)).values_list("product_id", "rank"))


# --- suggestions -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # category | brand | product | word
    slug: str | None


_SUGGESTIONS_SQL = """
(SELECT 'category', coalesce(ct.name, c.name), c.slug, 1 - word_similarity(%(q)s, lower(coalesce(ct.name, c.name)))
   FROM shop_category c
   LEFT JOIN shop_categorytranslation ct ON ct.category_id = c.id AND ct.language = %(lang)s
  WHERE lower(coalesce(ct.name, c.name)) LIKE %(prefix)s OR lower(coalesce(ct.name, c.name)) LIKE %(inner)s
     OR (char_length(%(q)s) >= 3 AND %(q)s <%% lower(coalesce(ct.name, c.name)))
  ORDER BY 4, 2 LIMIT %(limit)s)
UNION ALL
(SELECT 'brand', coalesce(bt.name, b.name), b.slug, 1 - word_similarity(%(q)s, lower(coalesce(bt.name, b.name)))
   FROM shop_brand b
   LEFT JOIN shop_brandtranslation bt ON bt.brand_id = b.id AND bt.language = %(lang)s
  WHERE lower(coalesce(bt.name, b.name)) LIKE %(prefix)s
     OR (char_length(%(q)s) >= 3 AND %(q)s <%% lower(coalesce(bt.name, b.name)))
  ORDER BY 4, 2 LIMIT %(limit)s)
UNION ALL
(SELECT 'product', s.name, p.slug, 0
   FROM shop_productsearch s
   JOIN shop_product p ON p.id = s.product_id AND p.is_active
  WHERE s.language = %(lang)s AND lower(s.name) COLLATE "C" LIKE %(prefix)s
  ORDER BY lower(s.name) COLLATE "C" LIMIT %(limit)s)
UNION ALL
(SELECT 'word', w.word, NULL, CASE WHEN w.word LIKE %(prefix)s THEN 0 ELSE 1 - similarity(w.word, %(q)s) END
   FROM shop_searchword w
  WHERE w.language = %(lang)s AND (w.word LIKE %(prefix)s OR (char_length(%(q)s) >= 3 AND w.word %% %(q)s))
  ORDER BY 4, char_length(w.word), w.word LIMIT %(limit)s)
"""


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_suggestions(*, text: str, language: str) -> list[Suggestion]:
    """Up to SUGGESTIONS completions for what a buyer has typed, in their language: categories and brands
    (by prefix or a close word), product names by prefix, then words of the catalog by prefix or similarity
    (typos). One query, each part served by an index or a small table."""
    q = " ".join(text.lower().split())
    if not q:
        return []
    params = {"q": q, "lang": language, "prefix": _like_escape(q) + "%", "inner": "% " + _like_escape(q) + "%",
              "limit": SUGGESTIONS}
    with connection.cursor() as cursor:
        cursor.execute(_SUGGESTIONS_SQL, params)
        rows = cursor.fetchall()
    order = {"category": 0, "brand": 1, "product": 2, "word": 3}
    seen: set[str] = set()
    found: list[Suggestion] = []
    for kind, suggestion, slug, _distance in sorted(rows, key=lambda r: (order[r[0]], r[3])):
        if suggestion.lower() in seen:
            continue
        seen.add(suggestion.lower())
        found.append(Suggestion(text=suggestion, kind=kind, slug=slug))
    return found[:SUGGESTIONS]
