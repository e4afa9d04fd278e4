"""The pure test modules (money, landed-cost arithmetic, sizing, CEB building) run with no PostgreSQL, Redis or
Stripe-compatible server at all: each is run here in a pytest of its own whose services all point at a closed
port, so a fixture or a test that reached for one would fail."""

import os
import subprocess
import sys

from django.conf import settings

PURE_MODULES = ["tests/shop/test_money.py", "tests/shop/test_sizing.py", "tests/shop/test_languages.py",
                "tests/landed_cost/test_calculator.py", "tests/customs/test_ceb_build.py", "tests/test_properties.py"]
NOWHERE = "127.0.0.1:9"  # the discard port: nothing listens there


def test_pure_modules_need_no_backing_service():
    env = {**os.environ, "DATABASE_URL": f"postgres://nobody@{NOWHERE}/nothing",
           "REDIS_URL": f"redis://{NOWHERE}/0", "TEST_REDIS_URL": f"redis://{NOWHERE}/0",
           "CELERY_BROKER_URL": f"redis://{NOWHERE}/0", "STRIPE_API_BASE": f"http://{NOWHERE}"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *PURE_MODULES],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert "passed" in summary and "skipped" not in summary and "error" not in summary, summary
