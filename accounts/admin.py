from django.contrib import admin

from accounts.forms import AdminLoginForm

# The admin's sign-in counts passwords like every other form (accounts.views.admin_login answers 429).
admin.site.login_form = AdminLoginForm
