"""Development stack: database and Redis (embedded unless DATABASE_URL / REDIS_URL are set), migrations,
demo data, then the API server, two Celery workers (the default queue, and the payments queue on threads)
and Celery beat as child processes. STRIPE_LOCAL_LATENCY_MS makes the local Stripe server as slow as Stripe.

Ctrl-C (or SIGTERM) stops every process this started, and the embedded servers. A run after a crash
starts cleanly: the embedded launcher stops what a dead run left behind first.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
EMBEDDED_STATE = VAR / "embedded"
# The metrics files of the web, worker and beat processes (prometheus_client's multiprocess mode), new each run.
METRICS_DIR = VAR / "metrics"
DB_NAME = "livedock"


def _log(message: str) -> None:
    print(f"[livedock] {message}", flush=True)


def _ensure_database(admin_url: str, name: str) -> str:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _die_with_parent() -> None:
    """Runs in each child before exec: if the launcher is killed (even with SIGKILL), the kernel
    sends the child SIGTERM, so no server outlives a crashed run and holds its port."""
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    VAR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    env.setdefault("DJANGO_DEBUG", "true")
    env.setdefault("EMAIL_URL", "consolemail://")  # account e-mails (password reset links) in the worker's output
    started_embedded = False
    if not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
        from devtools import embedded  # noqa: PLC0415

        _log("Starting embedded PostgreSQL and Redis ...")
        urls = embedded.start(EMBEDDED_STATE)
        started_embedded = True
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = _ensure_database(urls["DATABASE_URL"], DB_NAME)
        env.setdefault("REDIS_URL", urls["REDIS_URL"])
    env.setdefault("CELERY_BROKER_URL", env["REDIS_URL"])
    env.setdefault("CELERY_RESULT_BACKEND", env["REDIS_URL"])

    children: list[subprocess.Popen] = []
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    stripe_proc = None
    if not env.get("STRIPE_API_BASE"):
        # Offline payments: a local Stripe-compatible server that signs webhooks to this API.
        from devtools import stripe_local  # noqa: PLC0415

        stripe_proc, stripe_url = stripe_local.start(port=stripe_local.free_port(8420),
                                                     log=(VAR / "stripe-local.log").open("ab"))
        children.append(stripe_proc)
        # Test-mode keys that only the local server accepts.
        env.update({"STRIPE_API_BASE": stripe_url, "STRIPE_SEND_TRANSFER_GROUP": "false",
                    "LIVEDOCK_PAYOUT_HOLD_HOURS": "0", "STRIPE_SECRET_KEY": "sk_test_livedock_local",
                    "STRIPE_WEBHOOK_SECRET": "whsec_livedock_local"})
        stripe_local.register_webhook(stripe_url, "livedock", f"http://{host}:{port}/api/v1/payments/stripe/webhook/",
                                      env["STRIPE_WEBHOOK_SECRET"])
        _log(f"Local Stripe-compatible server at {stripe_url} (pid {stripe_proc.pid})")

    def shutdown(*_args) -> None:
        # A second Ctrl-C (or the terminal's SIGINT to the whole group) must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 20
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if started_embedded:
            from devtools import embedded  # noqa: PLC0415

            embedded.stop(EMBEDDED_STATE)
        _log("Stopped.")

    def interrupt(*_args) -> None:
        raise KeyboardInterrupt

    # Installed explicitly: a launcher started in the background inherits an ignored SIGINT.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        _log("Migrating and loading demo data ...")
        _manage("migrate", "--noinput", "-v", "0", env=env)
        _manage("demo_data", env=env)
        _manage("demo_buyers", env=env)
        _manage("load_customs_rules", env=env)
        _manage("demo_live", env=env)
        _manage("collectstatic", "--noinput", "-v", "0", env=env)
        # For commands run beside the stack (make demo-pay): the same database, broker and Stripe server.
        keys = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "STRIPE_API_BASE",
                "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_SEND_TRANSFER_GROUP")
        (VAR / "dev.env").write_text("".join(f"{k}={env[k]}\n" for k in keys if env.get(k)))

        beat_pid = VAR / "celerybeat.pid"
        beat_pid.unlink(missing_ok=True)
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
        METRICS_DIR.mkdir()
        servers_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(METRICS_DIR)}
        commands = {
            # ASGI workers: ordinary views and the live Server-Sent Events streams.
            # The server rewrites no client address from X-Forwarded-For (its default trusts loopback peers):
            # the app decides who the client is, from LIVEDOCK_TRUSTED_PROXIES.
            "web": [sys.executable, "-m", "gunicorn", "config.asgi:application", "-k", "uvicorn_worker.UvicornWorker",
                    "--bind", f"{host}:{port}", "--workers", "2", "--access-logfile", "-", "--forwarded-allow-ips", ""],
            "worker": [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "celery", "-l", "INFO",
                       "--concurrency", "2", "-n", f"dev-{os.getpid()}@%h"],
            # PaymentIntents: each task waits on Stripe, so threads, as in production (docs/operations.md).
            "payments-worker": [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "payments",
                                "-P", "threads", "--concurrency", "32", "-l", "INFO",
                                "-n", f"dev-payments-{os.getpid()}@%h"],
            "beat": [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "INFO",
                     "--pidfile", str(beat_pid)],
        }
        for name, command in commands.items():
            children.append(subprocess.Popen(command, cwd=ROOT, env=servers_env,  # noqa: PLW1509
                                             preexec_fn=_die_with_parent))
            _log(f"{name} started (pid {children[-1].pid})")

        base = f"http://{host}:{port}"
        _log(f"API:        {base}/api/v1/catalog/products/?currency=EUR")
        _log(f"Swagger UI: {base}/api/docs/")
        _log(f"Admin:      {base}/admin/")
        _log(f"Host console: {base}/live/console/ (host 'lily', same password)")
        _log("Admin logins (password 'livedock-demo'): operator (everything); ouhai, lucheng, yongjia "
             "(manufacturer staff, own goods only)")
        _log("Buyer logins for POST /api/v1/auth/login/ (same password): anna@buyer.example (EUR), "
             "kenji@buyer.example (JPY), olivia@buyer.example (AUD)")
        if stripe_proc is not None:
            _log("Pay for a demo order offline: make demo-pay ORDER=<order number> (test card, real webhook)")
        _log("Press Ctrl-C to stop everything.")
        while True:
            for child in children:
                if child.poll() is not None:
                    _log(f"A process exited (pid {child.pid}, code {child.returncode}); stopping.")
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        _log(f"Setup failed: {exc}")
        return 1
    finally:
        shutdown()


if __name__ == "__main__":
    sys.exit(main())
