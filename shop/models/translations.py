"""The catalog's texts in the buyers' languages.

The catalog is written in English (the base fields of Product, Category and Brand) with the factory's Chinese
original kept (`Product.name_zh`). A translation row gives one text in one other language; a text without a
row in the buyer's language is shown in English and the answer says so (docs/catalog.md, "Languages").
Coded values a product picks from a list (its materials, colours, widths) are translated once for the whole
catalog as CatalogTerms, not per product.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .catalog import Brand, Category, Product


class Language(models.TextChoices):
    """The storefront's languages, as ISO 639-1 codes. English is the catalog's base language."""

    EN = "en", "English"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    ES = "es", "Español"
    IT = "it", "Italiano"
    JA = "ja", "日本語"
    KO = "ko", "한국어"
    ZH = "zh", "中文"


BASE_LANGUAGE = Language.EN
# Languages a translation row may be in: every one but the base, whose texts are the rows' own fields.
TRANSLATED_LANGUAGES = [code for code in Language.values if code != BASE_LANGUAGE]
_TRANSLATED = Q(language__in=TRANSLATED_LANGUAGES)


class ProductTranslation(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=5, choices=Language.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product", "language"]
        constraints = [
            models.UniqueConstraint(fields=["product", "language"], name="product_translation_one_per_language"),
            models.CheckConstraint(condition=_TRANSLATED, name="product_translation_language_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.name}"


class CategoryTranslation(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=5, choices=Language.choices)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["category", "language"]
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="category_translation_one_per_language"),
            models.CheckConstraint(condition=_TRANSLATED, name="category_translation_language_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.name}"


class BrandTranslation(models.Model):
    """A brand's name where it is written differently in a market (a katakana name in Japan, say)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=5, choices=Language.choices)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["brand", "language"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "language"], name="brand_translation_one_per_language"),
            models.CheckConstraint(condition=_TRANSLATED, name="brand_translation_language_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.name}"


class CatalogTerm(models.Model):
    """One coded value of the catalog in one language: a material ("leather" -> "Leder"), a colour, a width
    class or a gender. `key` is the stored value (Material's code, the variant's colour as entered)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", "Material"
        COLOUR = "colour", "Colour"
        WIDTH = "width", "Width class"
        GENDER = "gender", "Gender"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=60)
    language = models.CharField(max_length=5, choices=Language.choices)
    text = models.CharField(max_length=100)

    class Meta:
        ordering = ["kind", "key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "language"], name="catalog_term_one_per_language"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="catalog_term_language_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} [{self.language}] {self.text}"
