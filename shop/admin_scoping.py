"""Manufacturer scoping for the Django admin.

A manufacturer's staff user (a user with a ManufacturerMembership) sees and changes only rows that
belong to its manufacturer, on every admin page, filter, autocomplete, export and bulk action: all
of them go through `get_queryset`, and every foreign-key choice is narrowed the same way. Operators
(staff without a membership) use Django's ordinary model permissions and see everything.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .selectors import manufacturer_for_user


def request_manufacturer(request: HttpRequest):
    if not hasattr(request, "_livedock_manufacturer"):
        user = request.user
        request._livedock_manufacturer = manufacturer_for_user(user=user) if user.is_authenticated else None
    return request._livedock_manufacturer


def is_manufacturer_staff(request: HttpRequest) -> bool:
    return request_manufacturer(request) is not None


class ScopedChoicesMixin:
    """Narrows foreign-key choices in admin forms to the user's manufacturer."""

    # Foreign-key field name -> lookup from the related model to its manufacturer.
    scoped_choice_lookups: dict[str, str] = {
        "manufacturer": "pk",
        "brand": "manufacturer",
        "warehouse": "manufacturer",
        "default_warehouse": "manufacturer",
        "product": "manufacturer",
        "variant": "product__manufacturer",
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manufacturer = request_manufacturer(request)
        lookup = self.scoped_choice_lookups.get(db_field.name)
        if manufacturer is not None and lookup is not None:
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(**{lookup: manufacturer.pk})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ManufacturerScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """`manufacturer_lookup` is the ORM path from this model to its Manufacturer; `staff_can_add` and
    `staff_can_delete` say what a manufacturer's staff may do here besides view and change."""

    manufacturer_lookup: str = "manufacturer"
    staff_can_add = True
    staff_can_delete = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        manufacturer = request_manufacturer(request)
        if manufacturer is not None:
            qs = qs.filter(**{self.manufacturer_lookup: manufacturer.pk})
        return qs

    def get_list_filter(self, request):
        # RelatedOnlyFieldListFilter offers only values present in the (scoped) queryset, so a filter
        # sidebar never lists another manufacturer's brands or warehouses.
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and self._is_relation(item):
                filters.append((item, admin.RelatedOnlyFieldListFilter))
            else:
                filters.append(item)
        return filters

    def _is_relation(self, name: str) -> bool:
        model = self.model
        field = None
        for part in name.split("__"):
            try:
                field = model._meta.get_field(part)
            except Exception:  # noqa: BLE001 - not a model field path
                return False
            if not field.is_relation:
                return False
            model = field.related_model
        return isinstance(field, models.ForeignKey | models.OneToOneField)

    # Permissions: staff are allowed on the scoped queryset; operators use Django's permissions.
    def has_module_permission(self, request):
        return is_manufacturer_staff(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if is_manufacturer_staff(request):
            return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if is_manufacturer_staff(request):
            return self.has_view_permission(request, obj)
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        if is_manufacturer_staff(request):
            return self.staff_can_add
        return super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        if is_manufacturer_staff(request):
            return self.staff_can_delete and self.has_view_permission(request, obj)
        return super().has_delete_permission(request, obj)


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """Inlines inherit the parent's scope; their FK choices are narrowed like the parent's."""

    extra = 0

    def _staff_or(self, request, default: bool) -> bool:
        return True if is_manufacturer_staff(request) else default

    def has_view_permission(self, request, obj=None):
        return self._staff_or(request, super().has_view_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._staff_or(request, super().has_change_permission(request, obj))

    def has_add_permission(self, request, obj=None):
        return self._staff_or(request, super().has_add_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._staff_or(request, super().has_delete_permission(request, obj))
