"""What the storefront's response cache learns changes from (shop/catalog_cache.py).

Database triggers write a row here whenever something a catalog page shows is written, whatever the write
path (services, the admin, an import, a shell), in the writing transaction: a price, a stock row crossing
between free and sold out, a product, its variants, images or texts; and a row without a product for
writes that touch every page (brand, category and manufacturer names, FX rates, terms). Every process reads
the new rows a few times a second and drops exactly the cached answers that show what changed. Rows are
deleted after an hour (shop.catalog_changes_prune)."""

from __future__ import annotations

from django.db import models


class CatalogChange(models.Model):
    class Kind(models.TextChoices):
        # Per product: which pages the change can reach besides the ones showing the product.
        SHOWN = "shown", "Shown only (an image)"
        AVAILABLE = "avail", "Units available (product pages only; lists show in stock or not)"
        PRICE = "price", "Price (also pages ordered or filtered by price)"
        STOCK = "stock", "In stock or sold out (also pages filtered by stock)"
        TEXT = "text", "Name or description (also searches and pages ordered by name)"
        LISTING = "listing", "Listed, unlisted, variants (any list may gain or lose it)"
        # Without a product.
        ALL = "all", "Every page (brand, category, manufacturer, FX rates, terms)"
        DEAL = "deal", "Live deals (pages filtered or faceted by live deal)"

    id = models.BigAutoField(primary_key=True)
    product_id = models.IntegerField(null=True)  # no foreign key: a deleted product's change must still be read
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="catalogchange_created")]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} {self.product_id or ''}"
