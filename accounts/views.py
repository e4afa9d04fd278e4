"""The pages where staff and hosts type a password: the admin's sign-in and the host console's."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import LoginView

from accounts.forms import ConsoleLoginForm


def _throttled_answer(response):
    """A sign-in page whose form refused the attempt for its rate or backoff answers 429 with Retry-After;
    the page itself says how long to wait."""
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
