"""Reads of the catalog's texts in a buyer's language (docs/catalog.md, "Languages").

A page of products gets its texts in one language with a constant number of queries (one per kind of text,
none for English); coded terms (materials, colours, widths, genders) are kept per process and read again
when the CatalogTerm table's version moves. Where a language has no text, the English base text is shown
and the text says so (`fallback`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects

from .languages import BASE_LANGUAGE, LANGUAGES
from .models import (
    BrandTranslation,
    CatalogTerm,
    Category,
    CategoryTranslation,
    Material,
    Product,
    ProductTranslation,
)
from .table_versions import VersionedCopies

ZH = "zh"


@dataclass(frozen=True)
class ProductTexts:
    """A product's name and description as shown. `language` is the language of the name; `fallback` is
    True when a text in the language asked for was missing and the English one is shown instead."""

    name: str
    description: str
    language: str
    fallback: bool


@dataclass(frozen=True)
class NameText:
    name: str
    language: str
    fallback: bool


def _only(model, language: str):
    return model.objects.filter(language=language)


def _first(rows: list):
    return rows[0] if rows else None


def texts_annotated(products: QuerySet[Product], *, language: str) -> QuerySet[Product]:
    """The products with their texts in `language` read in the same statement (product_texts_attach then needs
    no query of its own); unchanged in English."""
    if language == BASE_LANGUAGE:
        return products

    def text(model, owner: str, ref: str, column: str):
        rows = model.objects.filter(**{owner: OuterRef(ref)}, language=language).values(column)[:1]
        return Subquery(rows, output_field=CharField())

    return products.annotate(
        text_name=text(ProductTranslation, "product", "pk", "name"),
        text_description=text(ProductTranslation, "product", "pk", "description"),
        text_brand=text(BrandTranslation, "brand", "brand_id", "name"),
        text_category=text(CategoryTranslation, "category", "category_id", "name"),
    )


@dataclass(frozen=True)
class _Row:
    name: str
    description: str = ""


def _rows_from_annotations(product: Product) -> None:
    product.language_rows = [] if product.text_name is None else [_Row(product.text_name,
                                                                         product.text_description or "")]
    product.brand.language_rows = [] if product.text_brand is None else [_Row(product.text_brand)]
    product.category.language_rows = [] if product.text_category is None else [_Row(product.text_category)]


def product_texts_attach(*, products: Iterable[Product], language: str) -> None:
    """Sets `texts` (ProductTexts) on each product, and `texts` (NameText) on its brand and category, which
    must come with it (select_related). No query for products read with texts_annotated(), else three for the
    whole page, whatever its size; none in English."""
    products = list(products)
    annotated = bool(products) and all(hasattr(p, "text_name") for p in products)
    if annotated:
        for product in products:
            _rows_from_annotations(product)
    elif language != BASE_LANGUAGE and products:
        prefetch_related_objects(
            products,
            Prefetch("translations", queryset=_only(ProductTranslation, language), to_attr="language_rows"),
            Prefetch("brand__translations", queryset=_only(BrandTranslation, language), to_attr="language_rows"),
            Prefetch("category__translations", queryset=_only(CategoryTranslation, language),
                     to_attr="language_rows"),
        )
    for product in products:
        product.texts = _product_texts(product, language)
        for owner in (product.brand, product.category):
            owner.texts = _name_text(owner, language)


def _product_texts(product: Product, language: str) -> ProductTexts:
    if language == BASE_LANGUAGE:
        return ProductTexts(product.name, product.description, BASE_LANGUAGE, False)
    row = _first(product.language_rows)
    if row is not None:
        description = row.description or product.description
        # A translated name without a translated description shows the English description: a fallback.
        fallback = not row.description and bool(product.description)
        return ProductTexts(row.name, description, language, fallback)
    if language == ZH and product.name_zh:
        # The factory's own Chinese name; its description was written in English.
        return ProductTexts(product.name_zh, product.description, ZH, bool(product.description))
    return ProductTexts(product.name, product.description, BASE_LANGUAGE, True)


def _name_text(owner, language: str) -> NameText:
    if language == BASE_LANGUAGE:
        return NameText(owner.name, BASE_LANGUAGE, False)
    row = _first(getattr(owner, "language_rows", []))
    if row is not None:
        return NameText(row.name, language, False)
    return NameText(owner.name, BASE_LANGUAGE, True)


def category_texts_attach(*, categories: Iterable[Category], language: str) -> list[Category]:
    """The categories, each with `texts` (NameText) in the language: one query, none in English."""
    categories = list(categories)
    if language != BASE_LANGUAGE and categories:
        prefetch_related_objects(
            categories,
            Prefetch("translations", queryset=_only(CategoryTranslation, language), to_attr="language_rows"),
        )
    for category in categories:
        category.texts = _name_text(category, language)
    return categories


# --- coded terms ----------------------------------------------------------------------------------------

_terms = VersionedCopies("catalog_terms", max_entries=16)  # one entry per language

# What a term falls back to when no CatalogTerm gives it in the language nor in English: the code's own label.
_LABELS: dict[str, dict[str, str]] = {
    CatalogTerm.Kind.MATERIAL: dict(Material.choices),
    CatalogTerm.Kind.GENDER: dict(Product.Gender.choices),
}


class TermTexts:
    """The catalog's coded terms in one language: `text(kind, key)` gives the language's term, else the English
    one, else the code's label (or the key as entered, for colours and widths). Keys match case-insensitively."""

    def __init__(self, language: str, rows: list[tuple[str, str, str, str]]):
        self.language = language
        english: dict[tuple[str, str], str] = {}
        chosen: dict[tuple[str, str], str] = {}
        for kind, key, row_language, text in rows:
            target = chosen if row_language == language else english
            target[(kind, key.casefold())] = text
        self._texts = {**english, **chosen}

    def text(self, kind: str, key: str) -> str:
        if not key:
            return ""
        found = self._texts.get((kind, key.casefold()))
        if found is not None:
            return found
        return _LABELS.get(kind, {}).get(key, key)


def catalog_terms_get(*, language: str) -> TermTexts:
    """The coded terms in a language; kept per process until any CatalogTerm row is written (one indexed read
    of the table's version per call, the rows only after a change)."""
    copies = _terms.current()
    terms = copies.get(language)
    if terms is None:
        rows = list(CatalogTerm.objects.filter(language__in={language, BASE_LANGUAGE})
                    .values_list("kind", "key", "language", "text"))
        terms = copies[language] = TermTexts(language, rows)
    return terms


# --- what factories still have to translate -------------------------------------------------------------

# The markets' languages a product is expected to have texts in. Chinese is the factory's own (`name_zh`): it
# counts as missing only for a product with neither a Chinese name nor a Chinese translation.
MARKET_LANGUAGES: tuple[str, ...] = tuple(code for code in LANGUAGES if code not in (BASE_LANGUAGE, ZH))


def products_with_translated_languages(products: QuerySet[Product]) -> QuerySet[Product]:
    """The products, each annotated with `translated_languages`: the languages it has a translation row in (a
    subquery in the same statement, so a changelist page costs no query per row)."""
    languages = (ProductTranslation.objects.filter(product=OuterRef("pk")).order_by().values("product")
                 .annotate(codes=ArrayAgg("language", order_by="language")).values("codes"))
    return products.annotate(translated_languages=Subquery(languages, output_field=ArrayField(CharField())))


def product_missing_languages(product: Product) -> list[str]:
    """The languages a product annotated by products_with_translated_languages() has no texts in, in the
    catalog's order."""
    present = set(product.translated_languages or ())
    if product.name_zh:
        present.add(ZH)
    return [code for code in (*MARKET_LANGUAGES, ZH) if code not in present]


def product_translation_missing_q(*, language: str) -> Q:
    """Products without a text in `language` (for Chinese: without a translation and without a Chinese name)."""
    missing = ~Exists(ProductTranslation.objects.filter(product=OuterRef("pk"), language=language))
    return missing & Q(name_zh="") if language == ZH else missing
