"""Operational endpoints outside the API: liveness, readiness and metrics."""

import hmac

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from kombu import Connection
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from config import metrics as metrics_store
from config.errors import error_body


@require_GET
def healthz(request):
    """Liveness: the process answers and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    """Readiness: PostgreSQL, Redis (cache) and the task broker all answer; 503 names what does not."""
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


@require_GET
def metrics(request):
    """Prometheus text format. With LIVEDOCK_METRICS_TOKEN set, the scraper must send it as a bearer token."""
    token = settings.LIVEDOCK_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return JsonResponse(error_body("not_authenticated", "A valid metrics token is required."), status=401)
    return HttpResponse(generate_latest(metrics_store.scrape_registry()), content_type=CONTENT_TYPE_LATEST)
