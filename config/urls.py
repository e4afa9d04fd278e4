from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from livestream.urls import console_urlpatterns


def healthz(request):
    """Liveness: the process answers and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Readiness: PostgreSQL, Redis (cache) and the task broker all answer; 503 names what does not."""
    from django.conf import settings
    from django.core.cache import cache
    from kombu import Connection

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        cache.set("readyz", "1", 5)
        checks["redis"] = "ok" if cache.get("readyz") == "1" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = f"error: {type(exc).__name__}"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["broker"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


api_v1 = [
    path("catalog/", include("shop.urls")),
    path("", include("orders.urls")),
    path("", include("livestream.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(template_name="livestream/login.html"), name="login"),
    path("live/console/", include((console_urlpatterns, "livestream"), namespace="console")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler400 = "config.errors.json_400"
handler403 = "config.errors.json_403"
handler404 = "config.errors.json_404"
handler500 = "config.errors.json_500"
