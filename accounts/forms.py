"""The admin's and the host console's forms that take a password, under the same limits as the buyer API."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.forms import AdminPasswordChangeForm as DjangoAdminPasswordChangeForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.errors import LoginThrottled
from accounts.services import sign_in
from config.client import client_address
from config.throttling import rate_limit_hit

# The API's login scope: one client has one budget of password attempts, whichever form it uses.
LOGIN_SCOPE = "auth-login"


class ThrottledPasswordMixin:
    """Counts each submitted password against the client's rate and the (username, client) backoff before
    checking it. A refused attempt is a form error naming the wait, and `retry_after` tells the view to
    answer 429."""

    retry_after = 0

    def password_checked(self, username: str, password: str):
        """The user whose password this is, or None; a ValidationError when the client must wait."""
        client = client_address(self.request)
        wait = rate_limit_hit(scope=LOGIN_SCOPE, client=client)
        if wait:
            self.retry_after = wait
            raise ValidationError(f"Too many sign-in attempts from your network; try again in {wait} seconds.",
                                  code="throttled")
        try:
            return sign_in.password_check(username=username, password=password, client=client)
        except LoginThrottled as exc:
            self.retry_after = exc.extra["retry_after_seconds"]
            raise ValidationError(f"Too many failed sign-ins for this account from your network; try again in "
                                  f"{self.retry_after} seconds.", code="login_throttled") from exc


class _ThrottledAuthenticationMixin(ThrottledPasswordMixin):
    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        self.user_cache = self.password_checked(username, password)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ConsoleLoginForm(_ThrottledAuthenticationMixin, AuthenticationForm):
    pass


class AdminLoginForm(_ThrottledAuthenticationMixin, AdminAuthenticationForm):
    pass


class AdminPasswordChangeForm(ThrottledPasswordMixin, DjangoAdminPasswordChangeForm):
    """The admin's own "change my password" form: the current password is checked like a sign-in."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = self.password_checked(self.user.get_username(), old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
