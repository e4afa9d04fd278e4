from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from config.errors import ApplicationError
from shop.admin_scoping import ManufacturerScopedAdmin, request_manufacturer

from . import services
from .models import (
    Festival,
    Host,
    HostAvailability,
    LineupItem,
    LineupStatus,
    LiveBase,
    LiveSession,
    SessionRequest,
    Studio,
)
from .selectors import festival_timeline_svg


class StudioInline(admin.TabularInline):
    model = Studio
    extra = 0


@admin.register(LiveBase)
class LiveBaseAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "timezone"]
    inlines = [StudioInline]


class SessionRequestInline(admin.TabularInline):
    model = SessionRequest
    extra = 0
    fields = ["host", "manufacturer", "title", "duration_minutes", "wished_windows", "target_market",
              "placed_session", "unplaced_reason"]
    readonly_fields = ["placed_session", "unplaced_reason"]


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ["name", "base", "starts_at", "ends_at", "status", "timeline_link"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SessionRequestInline]
    actions = ["auto_schedule", "publish_drafts"]

    @admin.action(description="Auto-schedule the session requests as drafts (CP-SAT)")
    def auto_schedule(self, request, queryset):
        for festival in queryset:
            result = services.festival_auto_schedule(festival_id=festival.pk)
            self.message_user(request, f"{festival}: {result['placed']} placed as drafts, "
                                       f"{len(result['unplaced'])} not placed ({result['status']}).")

    @admin.action(description="Publish the draft sessions")
    def publish_drafts(self, request, queryset):
        for festival in queryset:
            count = services.festival_publish_drafts(festival_id=festival.pk)
            self.message_user(request, f"{festival}: {count} sessions published.")

    @admin.display(description="Timeline")
    def timeline_link(self, festival):
        return format_html('<a href="{}">Timeline</a>', reverse("admin:livestream_festival_timeline",
                                                                args=[festival.pk]))

    def get_urls(self):
        return [path("<int:pk>/timeline/", self.admin_site.admin_view(self.timeline_view),
                     name="livestream_festival_timeline"), *super().get_urls()]

    def timeline_view(self, request, pk):
        festival = Festival.objects.filter(pk=pk).first()
        if festival is None or not self.has_view_permission(request, festival):
            raise Http404
        context = {**self.admin_site.each_context(request), "title": f"{festival.name}: timeline per studio",
                   "svg": mark_safe(festival_timeline_svg(festival=festival)),  # noqa: S308 - built with escaping
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/livestream/festival_timeline.html", context)


class AvailabilityInline(admin.TabularInline):
    model = HostAvailability
    extra = 0


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["handle", "display_name", "user", "payout_account_ref"]
    search_fields = ["handle", "display_name"]
    inlines = [AvailabilityInline]


class LiveSessionForm(forms.ModelForm):
    """Scheduling goes through the service, so conflicts and windows are checked the same way as in
    the API; its errors appear on the form."""

    class Meta:
        model = LiveSession
        fields = ["festival", "studio", "host", "title", "starts_at", "ends_at", "is_draft"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.scheduled = services.live_session_schedule(
                festival=data["festival"], studio=data["studio"], host=data["host"], title=data["title"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], is_draft=data.get("is_draft", False),
                session=self.instance if self.instance.pk else None)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data

    def save(self, commit=True):
        self.save_m2m = lambda: None  # no many-to-many fields; the admin calls it after saving
        return self.scheduled


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    form = LiveSessionForm
    list_display = ["title", "festival", "studio", "host", "starts_at", "ends_at", "status", "is_draft"]
    list_filter = ["festival", "status", "is_draft", "studio"]
    date_hierarchy = "starts_at"

    def save_model(self, request, obj, form, change):
        pass  # the form's clean() already saved through the scheduling service


class LineupDecisionForm(forms.ModelForm):
    class Meta:
        model = LineupItem
        fields = ["counter_price", "counter_commission_rate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("counter_price", "counter_commission_rate"):  # saving is a counter-offer: it names both
            if name in self.fields:  # absent when the item is shown read-only
                self.fields[name].required = True


@admin.register(LineupItem)
class LineupItemAdmin(ManufacturerScopedAdmin):
    """Selecting fair for manufacturers: approve, reject, or enter a counter-offer and save."""

    manufacturer_lookup = "product__manufacturer"
    staff_can_add = False
    staff_can_delete = False
    form = LineupDecisionForm
    list_display = ["product", "session", "status", "currency", "proposed_price", "proposed_commission_rate",
                    "counter_price", "agreed_price", "agreed_commission_rate"]
    list_filter = ["status"]
    readonly_fields = ["session", "product", "status", "currency", "proposed_price", "proposed_commission_rate",
                       "quantity", "agreed_price", "agreed_commission_rate"]
    actions = ["approve", "reject"]

    def has_change_permission(self, request, obj=None):
        # Only an open request can be countered; an approved or rejected item is read-only.
        if obj is not None and obj.status not in (LineupStatus.REQUESTED, LineupStatus.COUNTERED):
            return False
        return super().has_change_permission(request, obj)

    def _decide(self, request, queryset, action):
        maker = request_manufacturer(request)
        for item in queryset:
            try:
                services.lineup_decide(manufacturer_id=maker.pk if maker else None, item_id=item.pk, action=action)
                self.message_user(request, f"{item.product}: {action}d.")
            except ApplicationError as exc:
                self.message_user(request, f"{item.product}: {exc.message}", level=messages.ERROR)

    @admin.action(description="Approve at the host's proposed price and commission")
    def approve(self, request, queryset):
        self._decide(request, queryset, "approve")

    @admin.action(description="Reject")
    def reject(self, request, queryset):
        self._decide(request, queryset, "reject")

    def save_model(self, request, obj, form, change):
        maker = request_manufacturer(request)
        services.lineup_decide(manufacturer_id=maker.pk if maker else None, item_id=obj.pk, action="counter",
                               counter_price=form.cleaned_data["counter_price"],
                               counter_commission_rate=form.cleaned_data["counter_commission_rate"])
