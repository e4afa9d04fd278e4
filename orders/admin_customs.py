from django.contrib import admin

from .models import (
    CustomsDeclaration,
    CustomsFxRate,
    DeclarationReceipt,
    DutyRule,
    ImportRegime,
    ShippingRate,
    TaxRate,
)


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


class ReceiptInline(admin.TabularInline):
    model = DeclarationReceipt
    extra = 0
    can_delete = False
    readonly_fields = ["return_status", "return_time", "return_info", "received_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CustomsDeclaration)
class CustomsDeclarationAdmin(admin.ModelAdmin):
    """Declarations per parcel with their receipts; view or download the XML; resubmit after a fix."""

    list_display = ["message_type", "business_no", "shipment", "generation", "status", "sent_at", "period"]
    list_filter = ["message_type", "status"]
    search_fields = ["business_no", "guid", "shipment__order__number"]
    readonly_fields = ["shipment", "message_type", "generation", "guid", "business_no", "status",
                       "validation_error", "pretty_xml", "destination_data", "transport_ref", "sent_at", "period"]
    exclude = ["xml"]
    inlines = [ReceiptInline]
    actions = ["resubmit"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="XML")
    def pretty_xml(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        url = reverse("admin:orders_customsdeclaration_xml", args=[obj.pk])
        return format_html('<pre style="max-height:30em;overflow:auto">{}</pre><a href="{}">Download</a>',
                           obj.xml, url)

    def get_urls(self):
        from django.urls import path

        return [path("<int:pk>/xml/", self.admin_site.admin_view(self.download_xml),
                     name="orders_customsdeclaration_xml"), *super().get_urls()]

    def download_xml(self, request, pk):
        from django.http import Http404, HttpResponse

        declaration = CustomsDeclaration.objects.filter(pk=pk).first()
        if declaration is None or not self.has_view_permission(request, declaration):
            raise Http404
        response = HttpResponse(declaration.xml, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{declaration.message_type}_{declaration.guid}.xml"'
        return response

    @admin.action(description="Resubmit the parcel's declarations (after correcting the product data)")
    def resubmit(self, request, queryset):
        from django.contrib import messages

        from config.errors import ApplicationError

        from .services.declarations import declaration_resubmit

        for declaration in queryset:
            try:
                declaration_resubmit(declaration_id=declaration.pk)
                self.message_user(request, f"{declaration} resubmitted.")
            except ApplicationError as exc:
                self.message_user(request, f"{declaration}: {exc.message}", level=messages.ERROR)
