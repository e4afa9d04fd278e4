from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin

from config.errors import ApplicationError

from . import services, translations
from .admin_scoping import ManufacturerScopedAdmin, ScopedInline, is_manufacturer_staff, request_manufacturer
from .models import (
    Brand,
    BrandTranslation,
    CatalogTerm,
    Category,
    CategoryTranslation,
    FxRate,
    Language,
    Manufacturer,
    ManufacturerMembership,
    Price,
    Product,
    ProductImage,
    ProductTranslation,
    StockLevel,
    Variant,
    Warehouse,
)
from .models.translations import TRANSLATED_LANGUAGES
from .resources import BrandResource, PriceResource, ProductResource, StockLevelResource, VariantResource


class ListingRefreshMixin:
    """After an admin save, rebuild the storefront's price listing of the products touched."""

    def listing_product_ids(self, obj) -> list[int]:
        return [obj.pk] if isinstance(obj, Product) else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.product_listing_refresh(product_ids=self.listing_product_ids(form.instance))

    def delete_model(self, request, obj):
        ids = self.listing_product_ids(obj)
        super().delete_model(request, obj)
        services.product_listing_refresh(product_ids=ids)


class ScopedImportExportAdmin(ImportExportMixin, ManufacturerScopedAdmin):
    """Import and export through resources scoped to the user's manufacturer."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs),
                "manufacturer": request_manufacturer(request)}

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # Filters the model cannot take: back to the changelist flagged invalid, as the changelist answers them.
            messages.error(request, "The filters in the address are not valid here; nothing was exported.")
            opts = self.model._meta
            return HttpResponseRedirect(f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}"
                                        f"?{ERROR_FLAG}=1")


# --- texts in the buyers' languages --------------------------------------------------------------------
# Factory staff read Chinese first: the new labels carry their Chinese beside the English.

TRANSLATION_LANGUAGE_CHOICES = [(code, f"{code} {label}") for code, label in Language.choices
                                if code in TRANSLATED_LANGUAGES]


class TranslationInlineMixin:
    """One row per language a text is translated into; English is the row's own fields, so it is not offered."""

    extra = 0
    max_num = len(TRANSLATED_LANGUAGES)
    verbose_name = "translation 翻译"
    verbose_name_plural = "translations 翻译 (English is the fields above; one row per other language)"

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            kwargs["choices"] = [("", "---------"), *TRANSLATION_LANGUAGE_CHOICES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class ProductTranslationInline(TranslationInlineMixin, ScopedInline):
    model = ProductTranslation
    fields = ["language", "name", "description"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


class BrandTranslationInline(TranslationInlineMixin, ScopedInline):
    model = BrandTranslation
    fields = ["language", "name"]


class CategoryTranslationInline(TranslationInlineMixin, admin.TabularInline):
    """Operators name the shared category tree in every language; factory staff read the names."""

    model = CategoryTranslation
    fields = ["language", "name"]

    def has_view_permission(self, request, obj=None):
        return is_manufacturer_staff(request) or super().has_view_permission(request, obj)


class MissingTranslationFilter(admin.SimpleListFilter):
    title = "missing translation in 缺少翻译"
    parameter_name = "missing_translation"

    def lookups(self, request, model_admin):
        return TRANSLATION_LANGUAGE_CHOICES

    def queryset(self, request, queryset):
        if self.value() in TRANSLATED_LANGUAGES:
            return queryset.filter(translations.product_translation_missing_q(language=self.value()))
        return queryset


@admin.register(CatalogTerm)
class CatalogTermAdmin(admin.ModelAdmin):
    """The catalog-wide words for coded values (materials, colours, widths, genders): operators keep them, for
    every manufacturer at once, so factory staff do not see this page."""

    list_display = ["kind", "key", "language", "text"]
    list_filter = ["kind", "language"]
    search_fields = ["key", "text"]
    list_editable = ["text"]


@admin.register(Manufacturer)
class ManufacturerAdmin(ListingRefreshMixin, ManufacturerScopedAdmin):
    manufacturer_lookup = "pk"

    def listing_product_ids(self, obj):
        return list(obj.products.values_list("pk", flat=True))

    staff_can_add = False
    staff_can_delete = False
    list_display = ["name", "name_zh", "country", "customs_code", "pricing_currency", "is_active"]
    search_fields = ["name", "name_zh", "customs_code"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        if request_manufacturer(request) is not None:
            # Identity and payout routing are verified by operators.
            return ["slug", "customs_code", "payout_account_ref", "is_active"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is read-only for staff: there is no field to fill in from the name.
        return {} if request_manufacturer(request) is not None else super().get_prepopulated_fields(request, obj)


@admin.register(ManufacturerMembership)
class ManufacturerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "manufacturer", "role", "created_at"]
    list_filter = ["role"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "manufacturer__name"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["path", "name", "position"]
    search_fields = ["name", "path", "translations__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryTranslationInline]

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)

    def has_view_permission(self, request, obj=None):
        # Every manufacturer files products under the shared tree, so its staff may read it.
        return request_manufacturer(request) is not None or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return request_manufacturer(request) is not None or super().has_module_permission(request)


@admin.register(Brand)
class BrandAdmin(ScopedImportExportAdmin):
    resource_classes = [BrandResource]
    list_display = ["name", "slug", "manufacturer"]
    list_filter = ["manufacturer"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BrandTranslationInline]


@admin.register(Warehouse)
class WarehouseAdmin(ManufacturerScopedAdmin):
    list_display = ["code", "name", "kind", "country", "manufacturer"]
    list_filter = ["kind", "manufacturer"]
    search_fields = ["code", "name"]


class ProductImageInline(ScopedInline):
    model = ProductImage
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class VariantInline(ScopedInline):
    model = Variant
    fields = ["sku", "size_system", "size_label", "foot_length_mm", "width_class", "colour", "gtin",
              "net_weight_kg", "gross_weight_kg", "is_active"]
    show_change_link = True


@admin.register(Product)
class ProductAdmin(ListingRefreshMixin, ScopedImportExportAdmin):
    resource_classes = [ProductResource]
    list_display = ["name", "missing_translations", "brand", "category", "manufacturer", "hs_code", "is_active",
                    "created_at"]
    list_filter = ["is_active", MissingTranslationFilter, "manufacturer", "brand", "category", "gender",
                   "covers_ankle"]
    search_fields = ["name", "name_zh", "slug", "variants__sku"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["brand"]
    inlines = [ProductTranslationInline, VariantInline, ProductImageInline]
    list_select_related = ["brand", "category", "manufacturer"]
    actions = ["deactivate"]
    fieldsets = [
        (None, {"fields": ["manufacturer", "brand", "category", "name", "name_zh", "slug", "description",
                           "gender", "is_active"]}),
        ("Materials", {"fields": ["upper_material", "lining_material", "outer_sole_material", "covers_ankle"]}),
        ("Customs", {"fields": ["country_of_origin", "hs_code", "cn_commodity_code", "declaration_elements",
                                "legal_unit1", "legal_unit2", "rcep_origin_criterion", "rcep_origin_country"]}),
    ]

    def get_queryset(self, request):
        return translations.products_with_translated_languages(super().get_queryset(request))

    @admin.display(description="missing translations 缺少翻译")
    def missing_translations(self, obj) -> str:
        return " ".join(translations.product_missing_languages(obj)) or "—"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        manufacturer = request_manufacturer(request)
        if manufacturer is not None:
            initial.setdefault("manufacturer", manufacturer.pk)
        return initial

    @admin.action(description="Deactivate selected products (hide from the storefront)")
    def deactivate(self, request, queryset):
        updated = services.product_deactivate(products=queryset)
        self.message_user(request, f"{updated} product(s) deactivated.")


class PriceInline(ScopedInline):
    model = Price


class StockLevelInline(ScopedInline):
    model = StockLevel
    readonly_fields = ["reserved"]


@admin.register(Variant)
class VariantAdmin(ListingRefreshMixin, ScopedImportExportAdmin):
    manufacturer_lookup = "product__manufacturer"

    def listing_product_ids(self, obj):
        return [obj.product_id]

    resource_classes = [VariantResource]
    list_display = ["sku", "product", "size_label", "colour", "gtin", "is_active"]
    list_filter = ["is_active", "size_system", "product__manufacturer"]
    search_fields = ["sku", "gtin", "product__name"]
    autocomplete_fields = ["product"]
    list_select_related = ["product"]
    inlines = [PriceInline, StockLevelInline]


@admin.register(Price)
class PriceAdmin(ListingRefreshMixin, ScopedImportExportAdmin):
    manufacturer_lookup = "variant__product__manufacturer"

    def listing_product_ids(self, obj):
        return [obj.variant.product_id]

    resource_classes = [PriceResource]
    list_display = ["variant", "currency", "amount", "updated_at"]
    list_filter = ["currency"]
    search_fields = ["variant__sku"]
    autocomplete_fields = ["variant"]
    list_select_related = ["variant"]


@admin.register(StockLevel)
class StockLevelAdmin(ScopedImportExportAdmin):
    manufacturer_lookup = "variant__product__manufacturer"
    resource_classes = [StockLevelResource]
    list_display = ["variant", "warehouse", "on_hand", "reserved", "updated_at"]
    list_filter = ["warehouse"]
    search_fields = ["variant__sku"]
    autocomplete_fields = ["variant"]
    readonly_fields = ["reserved"]
    list_select_related = ["variant", "warehouse"]

    def save_model(self, request, obj, form, change):
        try:
            services.stock_set(variant=obj.variant, warehouse=obj.warehouse, on_hand=obj.on_hand)
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(FxRate)
class FxRateAdmin(admin.ModelAdmin):
    list_display = ["base", "quote", "rate", "as_of", "source"]
    list_filter = ["base", "quote", "as_of"]
    date_hierarchy = "as_of"
