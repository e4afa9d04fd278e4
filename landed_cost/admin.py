"""The duty, tax, FX and shipping rule tables: read-only for everyone (they are loaded from data files)."""

from django.contrib import admin

from landed_cost.models import CustomsFxRate, DutyRule, ImportRegime, ShippingRate, TaxRate


class RuleAdmin(admin.ModelAdmin):
    """Operators read the rules here; changes go through the reviewed data file and its command."""

    list_filter = ["confidence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False



@admin.register(ImportRegime)
class ImportRegimeAdmin(RuleAdmin):
    list_display = ["territory", "code", "threshold_amount", "threshold_currency", "duty_mode", "vat_base",
                    "valid_from", "valid_to", "confidence"]
    list_filter = ["territory", "confidence"]



@admin.register(DutyRule)
class DutyRuleAdmin(RuleAdmin):
    list_display = ["territory", "hs_prefix", "origin", "scheme", "kind", "rate", "specific_amount", "additional",
                    "valid_from", "valid_to", "confidence"]
    list_filter = ["territory", "scheme", "confidence"]



@admin.register(TaxRate)
class TaxRateAdmin(RuleAdmin):
    list_display = ["country", "name", "rate", "valid_from", "valid_to", "confidence"]



@admin.register(CustomsFxRate)
class CustomsFxRateAdmin(RuleAdmin):
    list_display = ["authority", "base", "quote", "rate", "valid_from", "valid_to", "confidence"]



@admin.register(ShippingRate)
class ShippingRateAdmin(RuleAdmin):
    list_display = ["territory", "amount", "currency", "per_extra_kg", "valid_from", "confidence"]

