"""The pages where staff and hosts type a password: the admin's sign-in and password change, and the host
console's sign-in."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.urls import reverse

from accounts.forms import AdminPasswordChangeForm, ConsoleLoginForm


def _throttled_answer(response):
    """A page whose form refused the attempt for its rate or backoff answers 429 with Retry-After; the page
    itself says how long to wait."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    wait = getattr(form, "retry_after", 0)
    if wait:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response


class ConsoleLoginView(LoginView):
    template_name = "livestream/login.html"
    authentication_form = ConsoleLoginForm

    def form_invalid(self, form):
        return _throttled_answer(super().form_invalid(form))


def admin_login(request):
    """The admin's own sign-in page (with accounts.admin's throttled form), answering 429 when throttled."""
    return _throttled_answer(admin.site.login(request))


class _AdminPasswordChangeView(PasswordChangeView):
    form_class = AdminPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_success_url(self):
        return reverse("admin:password_change_done", current_app=admin.site.name)

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}

    def form_invalid(self, form):
        return _throttled_answer(super().form_invalid(form))


def _admin_password_change(request):
    request.current_app = admin.site.name
    return _AdminPasswordChangeView.as_view()(request)


# The admin's "change my password" page, as the admin serves it (staff only), with the throttled form.
admin_password_change = admin.site.admin_view(_admin_password_change, cacheable=True)
