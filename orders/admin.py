from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.urls import path

from config.errors import ApplicationError
from fit.admin import size_curve_view
from shop.admin_scoping import ManufacturerScopedAdmin, request_manufacturer

from .models import Order, OrderEvent, OrderLine, Shipment
from .services import lifecycle


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["sku", "product_name", "size_label", "quantity", "unit_price", "line_total", "currency",
              "manufacturer", "shipment", "hs_code", "reservation_released"]
    readonly_fields = fields


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["manufacturer", "warehouse", "status", "carrier", "tracking_number", "shipped_at"]
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "actor", "actor_kind", "note"]
    readonly_fields = fields


class CancelActionForm(ActionForm):
    reason = forms.CharField(required=False, label="Reason", max_length=500)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Operators only: manufacturers see their parcels and lines, never whole orders."""

    list_display = ["number", "buyer", "status", "payment_status", "total", "currency", "destination_country",
                    "created_at"]
    list_filter = ["status", "payment_status", "currency", "destination_country"]
    search_fields = ["number", "buyer__email"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, ShipmentInline, OrderEventInline]
    action_form = CancelActionForm
    actions = ["cancel_orders"]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Cancel selected unpaid orders (enter a reason)")
    def cancel_orders(self, request, queryset):
        reason = request.POST.get("reason", "")
        for order in queryset:
            try:
                lifecycle.order_cancel(order_id=order.pk, actor=request.user, reason=reason)
                self.message_user(request, f"{order.number} cancelled; its stock is back on sale.")
            except ApplicationError as exc:
                self.message_user(request, f"{order.number}: {exc.message}", level=messages.ERROR)


class ShipActionForm(ActionForm):
    carrier = forms.CharField(required=False, max_length=60)
    tracking_number = forms.CharField(required=False, max_length=60)


@admin.register(Shipment)
class ShipmentAdmin(ManufacturerScopedAdmin):
    staff_can_add = False
    staff_can_delete = False
    list_display = ["__str__", "order_number", "order_status", "manufacturer", "warehouse", "status", "carrier",
                    "tracking_number"]
    list_filter = ["status", "warehouse"]
    search_fields = ["order__number", "tracking_number"]
    list_select_related = ["order", "manufacturer", "warehouse"]
    action_form = ShipActionForm
    actions = ["mark_packed", "mark_shipped", "mark_delivered"]
    readonly_fields = ["order", "manufacturer", "warehouse", "status", "carrier", "tracking_number", "packed_at",
                       "shipped_at", "delivered_at"]

    @admin.display(description="order")
    def order_number(self, shipment):
        return shipment.order.number

    @admin.display(description="order status")
    def order_status(self, shipment):
        return shipment.order.get_status_display()

    def _each(self, request, queryset, action, done):
        for shipment in queryset:
            try:
                action(shipment)
                self.message_user(request, f"Parcel {shipment} {done}.")
            except ApplicationError as exc:
                self.message_user(request, f"Parcel {shipment}: {exc.message}", level=messages.ERROR)

    @admin.action(description="Mark packed")
    def mark_packed(self, request, queryset):
        self._each(request, queryset,
                   lambda s: lifecycle.shipment_mark_packed(shipment_id=s.pk, actor=request.user), "packed")

    @admin.action(description="Mark shipped (enter carrier and tracking number; one parcel at a time)")
    def mark_shipped(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Ship one parcel at a time: each has its own tracking number.",
                              level=messages.ERROR)
            return
        carrier, tracking = request.POST.get("carrier", ""), request.POST.get("tracking_number", "")
        self._each(request, queryset, lambda s: lifecycle.shipment_mark_shipped(
            shipment_id=s.pk, actor=request.user, carrier=carrier, tracking_number=tracking), "shipped")

    @admin.action(description="Mark delivered")
    def mark_delivered(self, request, queryset):
        self._each(request, queryset,
                   lambda s: lifecycle.shipment_mark_delivered(shipment_id=s.pk, actor=request.user), "delivered")


@admin.register(OrderLine)
class OrderLineAdmin(ManufacturerScopedAdmin):
    staff_can_add = False
    staff_can_delete = False
    list_display = ["sku", "product_name", "quantity", "unit_price", "currency", "order_number", "shipment",
                    "manufacturer", "live_session"]
    search_fields = ["sku", "order__number"]
    list_select_related = ["order", "manufacturer", "shipment", "deal__session"]
    readonly_fields = [f.name for f in OrderLine._meta.fields]

    @admin.display(description="order")
    def order_number(self, line):
        return line.order.number

    @admin.display(description="live session")
    def live_session(self, line):
        if not line.deal_id:
            return "-"
        return line.deal.session.title if line.deal.session_id else "storefront flash sale"

    def get_urls(self):
        return [path("size-curve/", self.admin_site.admin_view(lambda request: size_curve_view(self, request)),
                     name="orders_size_curve"), *super().get_urls()]

    def get_list_filter(self, request):
        # Manufacturers see their own products' sales per live session; the filter lists only sessions
        # their lines were sold in.
        sessions = ("deal__session", admin.RelatedOnlyFieldListFilter)
        return [sessions] if request_manufacturer(request) else ["manufacturer", "currency", sessions]

