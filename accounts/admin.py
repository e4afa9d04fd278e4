from django.contrib import admin
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.forms import AdminLoginForm

# The admin's sign-in counts passwords like every other form (accounts.views.admin_login answers 429).
admin.site.login_form = AdminLoginForm

# Their rows hold whole refresh tokens: an operator who could read them could sign in as any buyer.
admin.site.unregister(OutstandingToken)
admin.site.unregister(BlacklistedToken)
