from django import forms
from django.contrib import admin

from config.errors import ApplicationError

from . import services
from .models import Festival, Host, HostAvailability, LiveBase, LiveSession, Studio


class StudioInline(admin.TabularInline):
    model = Studio
    extra = 0


@admin.register(LiveBase)
class LiveBaseAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "timezone"]
    inlines = [StudioInline]


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ["name", "base", "starts_at", "ends_at", "status"]
    prepopulated_fields = {"slug": ["name"]}


class AvailabilityInline(admin.TabularInline):
    model = HostAvailability
    extra = 0


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["handle", "display_name", "user"]
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
