"""Operators' view of live-session results: rolled-up metrics and GMV over the session's minutes."""

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from live_sales import services as live_metrics
from livestream.models import SessionMetrics


@admin.register(SessionMetrics)
class SessionMetricsAdmin(admin.ModelAdmin):
    list_display = ["session", "gmv", "refunds", "orders", "units", "unique_buyers", "views", "conversion_rate",
                    "gmv_per_thousand_views", "host_commission", "computed_at", "chart"]
    readonly_fields = [f.name for f in SessionMetrics._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="GMV chart")
    def chart(self, metrics):
        return format_html('<a href="{}">Chart</a>', reverse("admin:livestream_sessionmetrics_chart",
                                                             args=[metrics.session_id]))

    def get_urls(self):
        return [path("session/<int:session_id>/chart/", self.admin_site.admin_view(self.chart_view),
                     name="livestream_sessionmetrics_chart"), *super().get_urls()]

    def chart_view(self, request, session_id):
        if not self.has_view_permission(request):
            raise Http404
        metrics = SessionMetrics.objects.filter(session_id=session_id).select_related("session").first()
        if metrics is None:
            raise Http404
        svg = live_metrics.gmv_chart_svg(points=live_metrics.session_gmv_by_minute(session_id=session_id),
                                         currency=metrics.reporting_currency)
        context = {**self.admin_site.each_context(request), "title": f"{metrics.session}: GMV over the session",
                   "svg": mark_safe(svg), "opts": self.model._meta}  # noqa: S308 - numbers only
        return TemplateResponse(request, "admin/livestream/festival_timeline.html", context)
