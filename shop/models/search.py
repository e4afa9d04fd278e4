"""The search read model: one row per product and storefront language, written only by the database.

Triggers on the catalog tables (products, their translations, variants, brands, categories and catalog
terms, and their translations) call `shop_search_refresh(product ids)` in the writing transaction, whatever
the write path: services, the admin, an import, a shell, raw SQL. Stock and prices have no trigger here: a
checkout never touches a search row. The SQL is in migrations/0010_product_search.py; docs/catalog.md,
"Search", says how the rows are matched and counted.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .catalog import Product


class ProductSearch(models.Model):
    # No cascade in Python: the database deletes the rows of a deleted product (the product trigger).
    product = models.ForeignKey(Product, on_delete=models.DO_NOTHING, related_name="search_rows")
    language = models.CharField(max_length=5)
    name = models.CharField(max_length=250, help_text="The product's name in this language (English if none).")
    keywords = models.TextField(help_text="Name, category path, brand and terms in this language: the words "
                                          "typo matching and suggestions draw on.")
    vector = SearchVectorField(help_text="Weighted: A name, B category and brand, C terms, D description; "
                                         "plus the English texts for languages other than English.")
    # What the facets count, from the product's active variants; the same in every language's row.
    sizes = models.JSONField(default=dict, help_text='Size labels per size system: {"EU": ["42", "43"], ...}.')
    colours = ArrayField(models.CharField(max_length=60), default=list)
    widths = ArrayField(models.CharField(max_length=2), default=list)
    # The active variants, so "in stock" is read from stock rows by variant without going through variants.
    variant_ids = ArrayField(models.BigIntegerField(), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "language"], name="product_search_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} [{self.language}] {self.name}"
