"""Payouts in the admin, read only: a manufacturer's staff see what their manufacturer was paid or is owed
per order (scoped like every admin page); operators see every payout, live hosts' included. Money rows are
never edited by hand: payouts are made by the beat and the payments worker (docs/payments.md)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Subquery

from livestream.models import Host
from shop.admin_scoping import ManufacturerScopedAdmin

from .models import Payout


@admin.register(Payout)
class PayoutAdmin(ManufacturerScopedAdmin):
    staff_can_add = False
    staff_can_delete = False
    list_display = ["order_number", "recipient", "amount", "currency", "status", "reversed_amount", "paid_at"]
    list_filter = ["status", "recipient_kind", "currency"]
    search_fields = ["order__number"]
    list_select_related = ["order", "manufacturer"]
    date_hierarchy = "created_at"
    fields = ["order", "recipient_kind", "manufacturer", "host_id", "destination_account", "amount", "currency",
              "status", "reversed_amount", "stripe_transfer_id", "error", "created_at", "amount_fixed_at", "paid_at"]
    readonly_fields = fields

    @admin.display(description="order", ordering="order__number")
    def order_number(self, payout):
        return payout.order.number

    def get_queryset(self, request):
        # a host payout names its host by id: the handle comes with the rows, not a query per row
        return super().get_queryset(request).annotate(
            host_handle=Subquery(Host.objects.filter(pk=OuterRef("host_id")).values("handle")[:1]))

    @admin.display(description="paid to")
    def recipient(self, payout):
        if payout.recipient_kind == Payout.Recipient.HOST:
            return f"live host @{payout.host_handle}" if payout.host_handle else f"live host {payout.host_id}"
        return str(payout.manufacturer)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Another manufacturer's payout is as if it did not exist, whatever the method (Django's read-only
        # change view would refuse a POST with 403 before it looks the row up).
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
