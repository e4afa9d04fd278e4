from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.urls import password_form_urlpatterns
from config.views import healthz, metrics, readyz
from livestream.urls import console_urlpatterns

api_v1 = [
    path("catalog/", include("shop.urls")),
    path("", include("accounts.urls")),
    path("", include("landed_cost.urls")),
    path("", include("orders.urls")),
    path("", include("fit.urls")),
    path("", include("payments.urls")),
    path("", include("livestream.urls")),
    path("", include("live_sales.urls")),
]

urlpatterns = [
    *password_form_urlpatterns,  # first: the admin's sign-in page answers here, throttled
    path("admin/", admin.site.urls),
    path("live/console/", include((console_urlpatterns, "livestream"), namespace="console")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The page and its start-up script are two requests, so the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
]

handler400 = "config.errors.json_400"
handler403 = "config.errors.json_403"
handler404 = "config.errors.json_404"
handler500 = "config.errors.json_500"
