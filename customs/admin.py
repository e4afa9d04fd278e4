from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from config.errors import ApplicationError
from customs.models import CustomsDeclaration, DeclarationReceipt
from customs.services import declaration_resubmit


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
        url = reverse("admin:customs_customsdeclaration_xml", args=[obj.pk])
        return format_html('<pre style="max-height:30em;overflow:auto">{}</pre><a href="{}">Download</a>',
                           obj.xml, url)

    def get_urls(self):
        return [path("<int:pk>/xml/", self.admin_site.admin_view(self.download_xml),
                     name="customs_customsdeclaration_xml"), *super().get_urls()]

    def download_xml(self, request, pk):
        declaration = CustomsDeclaration.objects.filter(pk=pk).first()
        if declaration is None or not self.has_view_permission(request, declaration):
            raise Http404
        response = HttpResponse(declaration.xml, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{declaration.message_type}_{declaration.guid}.xml"'
        return response

    @admin.action(description="Resubmit the parcel's declarations (after correcting the product data)")
    def resubmit(self, request, queryset):
        for declaration in queryset:
            try:
                declaration_resubmit(declaration_id=declaration.pk)
                self.message_user(request, f"{declaration} resubmitted.")
            except ApplicationError as exc:
                self.message_user(request, f"{declaration}: {exc.message}", level=messages.ERROR)
