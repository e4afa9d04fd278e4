"""The audit trail in the admin: operators only (manufacturer staff never see it, even for their own rows,
because events of every manufacturer share one table and may name other parties' orders)."""

from pghistory.admin import EventsAdmin


class AuditEventAdmin(EventsAdmin):
    list_per_page = 50

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser
