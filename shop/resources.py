"""Bulk import and export of products, variants, prices and stock (CSV or XLSX), for the admin and the
`catalog_import` command; brands in the admin.

A resource built with `manufacturer=` (a manufacturer's staff) can only find, create and refer to that
manufacturer's rows: a row naming another manufacturer's product, brand, variant or warehouse is a
row-level error, never a change to someone else's data. Every row is validated with the model's
full_clean, so a broken row is reported with its line and field and nothing of the file is written.

Products carry their texts in the buyers' languages as `name_<language>` and `description_<language>`
columns, one pair per language the catalog translates into (made from the list of languages, so no other
language column exists; a column that looks like one but names no such language refuses the file). `name_zh`
is the product's own Chinese name; `description_zh` goes to its Chinese translation, named after it. An empty
cell keeps the stored text: a file exported before a translation was entered never erases it. Translations
are removed in the admin.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch
from import_export import fields, resources, widgets

from . import services
from .models import Brand, Category, Manufacturer, Price, Product, ProductTranslation, StockLevel, Variant, Warehouse
from .models.translations import TRANSLATED_LANGUAGES

TRANSLATION_PARTS = ("name", "description")
_TRANSLATION_COLUMN = re.compile(r"^(name|description)[_-]", re.IGNORECASE)


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks related rows up by a natural key, only among the importing manufacturer's rows."""

    def __init__(self, model, field: str, scope_lookup: str):
        self.scope_lookup = scope_lookup
        self.manufacturer = None
        super().__init__(model, field)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            # A ValueError becomes a row-level validation error on this column.
            raise ValueError(self.missing_message(value, row)) from None

    def missing_message(self, value, row) -> str:
        whose = "of yours" if self.manufacturer is not None else "on file"
        return f"No {self.model._meta.verbose_name} {value!r} {whose}."

    def get_queryset(self, value, row, *args, **kwargs):
        qs = self.model.objects.all()
        if self.manufacturer is not None:
            qs = qs.filter(**{self.scope_lookup: self.manufacturer.pk})
        return qs


class VariantWarehouseWidget(ScopedForeignKeyWidget):
    """Warehouse codes are unique per manufacturer: a stock row's warehouse is looked up among the warehouses of
    its variant's manufacturer (and, for staff, their own), never by the code alone."""

    def __init__(self):
        super().__init__(Warehouse, "code", scope_lookup="manufacturer")

    def get_queryset(self, value, row, *args, **kwargs):
        sku = (row or {}).get("sku")
        return super().get_queryset(value, row, *args, **kwargs).filter(manufacturer__products__variants__sku=sku)

    def missing_message(self, value, row) -> str:
        if self.manufacturer is not None:
            return super().missing_message(value, row)
        return f"No warehouse {value!r} of the manufacturer of {(row or {}).get('sku')!r}."


class ScopedResource(resources.ModelResource):
    manufacturer_lookup = "manufacturer"

    def __init__(self, manufacturer: Manufacturer | None = None, **kwargs):
        super().__init__(**kwargs)
        self.manufacturer = manufacturer
        for field in self.fields.values():
            if isinstance(field.widget, ScopedForeignKeyWidget):
                field.widget.manufacturer = manufacturer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.manufacturer is not None:
            qs = qs.filter(**{self.manufacturer_lookup: self.manufacturer.pk})
        return qs

    # Imported prices and variants show in storefront listings at once.
    listing_product_path: str | None = None

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self.listing_product_path is None or self._is_dry_run(kwargs) or result.has_errors() \
                or result.has_validation_errors():
            return
        ids = {getattr(row, "object_id", None) for row in result.valid_rows()}
        ids.discard(None)
        product_ids = self._meta.model.objects.filter(pk__in=ids).values_list(self.listing_product_path, flat=True)
        services.product_listing_refresh(product_ids=set(product_ids))


class _Meta:
    clean_model_instances = True
    skip_unchanged = True
    report_skipped = True
    use_transactions = True


class BrandResource(ScopedResource):
    manufacturer = fields.Field(
        attribute="manufacturer", column_name="manufacturer",
        widget=ScopedForeignKeyWidget(Manufacturer, "slug", scope_lookup="pk"),
    )

    class Meta(_Meta):
        model = Brand
        import_id_fields = ["slug"]
        fields = ["slug", "name", "manufacturer"]
        export_order = fields

    def before_import_row(self, row, **kwargs):
        # Staff import into their own manufacturer whatever the file says.
        if self.manufacturer is not None:
            row["manufacturer"] = self.manufacturer.slug


class TranslationTextField(fields.Field):
    """One text of a product in one language (`name_de`): read from the product's translation rows; imported
    texts wait on the product until it is saved (ProductResource.after_save_instance)."""

    def __init__(self, language: str, part: str):
        self.language, self.part = language, part
        column = f"{part}_{language}"
        super().__init__(attribute=column, column_name=column, widget=widgets.CharWidget())

    def get_value(self, instance):
        pending = getattr(instance, "_imported_texts", {}).get((self.language, self.part))
        if pending:
            return pending
        if instance.pk is None:
            return ""
        row = next((t for t in instance.translations.all() if t.language == self.language), None)
        return getattr(row, self.part) if row is not None else ""

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = (self.clean(row, **kwargs) or "").strip()
        if "_imported_texts" not in instance.__dict__:
            instance._imported_texts = {}
        instance._imported_texts[(self.language, self.part)] = text


def _translation_fields() -> dict[str, TranslationTextField]:
    # `name_zh` is the product's own Chinese name (the factory's original, declared to customs), not a column
    # of its translation: a Chinese translation's name comes from it.
    return {f"{part}_{language}": TranslationTextField(language, part)
            for language in TRANSLATED_LANGUAGES for part in TRANSLATION_PARTS if f"{part}_{language}" != "name_zh"}


# A column pair per language, declared from the list of languages.
_ProductTextColumns = type("_ProductTextColumns", (resources.Resource,), _translation_fields())


class ProductResource(ScopedResource, _ProductTextColumns):
    listing_product_path = "pk"
    manufacturer = fields.Field(
        attribute="manufacturer", column_name="manufacturer",
        widget=ScopedForeignKeyWidget(Manufacturer, "slug", scope_lookup="pk"),
    )
    brand = fields.Field(attribute="brand", column_name="brand",
                         widget=ScopedForeignKeyWidget(Brand, "slug", scope_lookup="manufacturer"))
    category = fields.Field(attribute="category", column_name="category",
                            widget=widgets.ForeignKeyWidget(Category, "slug"))

    class Meta(_Meta):
        model = Product
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "name_zh", "manufacturer", "brand", "category", "description", "upper_material",
            "lining_material", "outer_sole_material", "covers_ankle", "gender", "country_of_origin",
            "hs_code", "cn_commodity_code", "declaration_elements", "legal_unit1", "legal_unit2",
            "rcep_origin_criterion", "rcep_origin_country", "is_active",
            *_translation_fields(),
        ]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().prefetch_related(
            Prefetch("translations", queryset=ProductTranslation.objects.order_by("language")))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        known = {*_translation_fields(), "name_zh"}
        unknown = [h for h in dataset.headers or [] if h and _TRANSLATION_COLUMN.match(h) and h not in known]
        if unknown:
            raise ValueError(f"No such language column: {', '.join(unknown)}. Texts in the buyers' languages go "
                             f"in {', '.join(sorted(known))}.")

    def before_import_row(self, row, **kwargs):
        # Staff import into their own manufacturer whatever the file says.
        if self.manufacturer is not None:
            row["manufacturer"] = self.manufacturer.slug

    @staticmethod
    def _imported_texts(instance) -> dict[str, dict[str, str]]:
        texts: dict[str, dict[str, str]] = {}
        for (language, part), text in instance.__dict__.get("_imported_texts", {}).items():
            if text:
                texts.setdefault(language, {})[part] = text
        return texts

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Translation errors are row errors on their columns, found before anything of the row is saved.
        errors = dict(import_validation_errors or {})
        texts = self._imported_texts(instance)
        if texts:
            errors.update(services.product_translations_errors(product=instance, texts=texts))
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        texts = self._imported_texts(instance)
        instance.__dict__.pop("_imported_texts", None)
        if texts and instance.pk is not None:
            services.product_translations_merge(product=instance, texts=texts)


class VariantResource(ScopedResource):
    manufacturer_lookup = "product__manufacturer"
    listing_product_path = "product_id"
    product = fields.Field(attribute="product", column_name="product",
                           widget=ScopedForeignKeyWidget(Product, "slug", scope_lookup="manufacturer"))

    class Meta(_Meta):
        model = Variant
        import_id_fields = ["sku"]
        fields = [
            "sku", "product", "size_system", "size_label", "foot_length_mm", "width_class", "colour", "gtin",
            "net_weight_kg", "gross_weight_kg", "is_active",
        ]
        export_order = fields


class PriceResource(ScopedResource):
    manufacturer_lookup = "variant__product__manufacturer"
    listing_product_path = "variant__product_id"
    variant = fields.Field(attribute="variant", column_name="sku",
                           widget=ScopedForeignKeyWidget(Variant, "sku", scope_lookup="product__manufacturer"))

    class Meta(_Meta):
        model = Price
        import_id_fields = ["variant", "currency"]
        fields = ["variant", "currency", "amount"]
        export_order = fields


class StockLevelResource(ScopedResource):
    """Imports counted stock on hand; reservations belong to orders and are never imported."""

    manufacturer_lookup = "variant__product__manufacturer"
    variant = fields.Field(attribute="variant", column_name="sku",
                           widget=ScopedForeignKeyWidget(Variant, "sku", scope_lookup="product__manufacturer"))
    warehouse = fields.Field(attribute="warehouse", column_name="warehouse", widget=VariantWarehouseWidget())
    reserved = fields.Field(attribute="reserved", column_name="reserved", readonly=True)

    class Meta(_Meta):
        model = StockLevel
        import_id_fields = ["variant", "warehouse"]
        fields = ["variant", "warehouse", "on_hand", "reserved"]
        export_order = fields


RESOURCES: dict[str, type[ScopedResource]] = {
    "products": ProductResource,
    "variants": VariantResource,
    "prices": PriceResource,
    "stock": StockLevelResource,
}
