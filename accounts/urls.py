from django.urls import path

from . import apis, views

app_name = "accounts"

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="register"),
    path("auth/login/", apis.LoginApi.as_view(), name="login"),
    path("auth/refresh/", apis.RefreshApi.as_view(), name="refresh"),
    path("auth/logout/", apis.LogoutApi.as_view(), name="logout"),
    path("auth/password-reset/", apis.PasswordResetRequestApi.as_view(), name="password-reset"),
    path("auth/password-reset/confirm/", apis.PasswordResetConfirmApi.as_view(), name="password-reset-confirm"),
    path("me/", apis.ProfileApi.as_view(), name="profile"),
    path("me/password/", apis.PasswordChangeApi.as_view(), name="password-change"),
    path("me/addresses/", apis.AddressListApi.as_view(), name="address-list"),
    path("me/addresses/<int:address_id>/", apis.AddressDetailApi.as_view(), name="address-detail"),
]

# The pages that take a password, mounted at the site's root ahead of the admin's own URLs.
password_form_urlpatterns = [
    path("admin/login/", views.admin_login, name="admin-login"),
    path("admin/password_change/", views.admin_password_change, name="admin-password-change"),
    path("accounts/login/", views.ConsoleLoginView.as_view(), name="login"),
]
