"""Operating it: readiness and the production settings' deployment checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings


@pytest.mark.django_db
def test_readiness_checks_database_redis_and_broker(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok", "broker": "ok"}}
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


def test_production_settings_pass_the_deployment_checks_and_refuse_missing_secrets():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.production",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(60), DJANGO_ALLOWED_HOSTS="shop.example.com",
               STRIPE_SECRET_KEY="sk_live_placeholder", STRIPE_PUBLISHABLE_KEY="pk_live_placeholder",
               STRIPE_WEBHOOK_SECRET="whsec_placeholder", LIVEDOCK_METRICS_TOKEN=secrets.token_urlsafe(32))
    manage = [sys.executable, str(django_settings.BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level",
              "WARNING"]
    result = subprocess.run(manage, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Passwords: Django's strong default hasher (PBKDF2-SHA256 at Django's current iteration count).
    probe = ("import django; django.setup(); from django.contrib.auth.hashers import get_hasher, make_password; "
             "print(get_hasher().algorithm, make_password('correct horse').split('$')[0])")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120,
                            cwd=django_settings.BASE_DIR)
    assert result.stdout.split() == ["pbkdf2_sha256", "pbkdf2_sha256"], result.stderr
    missing = {k: v for k, v in env.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(manage, env=missing, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
