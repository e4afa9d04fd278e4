"""Bulk import and export of products, variants, prices and stock (CSV or XLSX), for the admin and the
`catalog_import` command; brands in the admin.

A resource built with `manufacturer=` (a manufacturer's staff) can only find, create and refer to that
manufacturer's rows: a row naming another manufacturer's product, brand, variant or warehouse is a
row-level error, never a change to someone else's data. Every row is validated with the model's
full_clean, so a broken row is reported with its line and field and nothing of the file is written.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from . import services
from .models import Brand, Category, Manufacturer, Price, Product, StockLevel, Variant, Warehouse


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


class ProductResource(ScopedResource):
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
        ]
        export_order = fields

    def before_import_row(self, row, **kwargs):
        # Staff import into their own manufacturer whatever the file says.
        if self.manufacturer is not None:
            row["manufacturer"] = self.manufacturer.slug


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
