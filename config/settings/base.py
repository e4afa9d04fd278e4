"""Settings shared by every environment. Every value that differs between machines comes from the
environment (see .env.example); this module is the only place that reads it."""

from datetime import timedelta
from decimal import Decimal

from celery.schedules import crontab
from kombu import Queue

from config.env import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Development has a throwaway key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    # One app per bounded context, bottom to top (docs/architecture.md).
    "audit",
    "shop",
    "livestream",
    "accounts",
    "landed_cost",
    "orders",
    "customs",
    "fit",
    "payments",
    "live_sales",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL only: the schema uses exclusion constraints, row locks and partial indexes.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/livedock"),
}
# Every process keeps a small pool of open connections (Django's psycopg pool): the ASGI web server runs each
# request's database work in a thread of its own, so per-thread kept-open connections either leaked or, closed
# after each request, cost a new connection per request. A request borrows a connection and returns it when
# done; beyond the pool it waits up to the timeout (then fails fast as a 503). Keep the pool small: PostgreSQL
# commits on one hot row get slower, not faster, with more connections (docs/benchmarks.md).
if env.bool("DATABASE_POOL", default=True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not keep its own
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a connection the server dropped is replaced on checkout
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        "max_idle": 300,
    }
else:  # no pool: connections kept per thread for a while (WSGI and management commands only)
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="livedock"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/live/console/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "config.schema.LivedockAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "auth-login": env.str("LIVEDOCK_LOGIN_RATE", default="10/min"),
        "auth-register": env.str("LIVEDOCK_REGISTER_RATE", default="5/min"),
        "auth-token": env.str("LIVEDOCK_TOKEN_RATE", default="30/min"),
        "auth-password-reset": env.str("LIVEDOCK_PASSWORD_RESET_RATE", default="5/min"),
    },
    # Deny by default: a view open to anonymous callers says AllowAny itself.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PagePagination",
    "PAGE_SIZE": 24,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("LIVEDOCK_ACCESS_TOKEN_MINUTES", default=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("LIVEDOCK_REFRESH_TOKEN_DAYS", default=14)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    # A refresh token is good for one refresh (accounts/services/tokens.py): it answers a new pair and the
    # one sent is revoked; logout and password changes revoke them too.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}
# Password reset: the link's lifetime, and the storefront page it opens ({uid} and {token} filled in).
PASSWORD_RESET_TIMEOUT = env.int("LIVEDOCK_PASSWORD_RESET_SECONDS", default=3600)
LIVEDOCK_PASSWORD_RESET_URL = env.str("LIVEDOCK_PASSWORD_RESET_URL",
                                      default="http://localhost:3000/reset-password?uid={uid}&token={token}")

SPECTACULAR_SETTINGS = {
    "TITLE": "Livedock API",
    "DESCRIPTION": (
        "Factory-direct cross-border commerce: storefront catalog, checkout, live-stream selling. "
        "Every error response has the shape {\"error\": {\"code\", \"message\", \"fields\"}}; the codes are "
        "listed in the ErrorDetail schema."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (the pinned drf-spectacular-sidecar), never a CDN: /api/docs/ works
    # offline and under a Content-Security-Policy that allows only this origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge image from Swagger's public validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_streaming_endpoints",
        "config.schema.document_error_codes",
    ],
}

# Celery: tasks are queued on commit by services; the broker is Redis by default and may be RabbitMQ.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
# Nothing reads task results. Storing them made every .delay() subscribe to its result in Redis, so while
# Redis was down each request that queued a task (a webhook, a refund) hung 20 s before failing.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis broker: a task a worker took but never acknowledged (the worker died mid-task) is handed out again
# after this many seconds, when a worker starts or sweeps. It must exceed the longest task (time limit 120 s)
# and the longest retry countdown (900 s), or a task still running or waiting to retry runs twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# Queues: "celery" for everything, and "payments" for creating PaymentIntents and acting on Stripe's webhooks
# (both re-read or write the intent on Stripe): a buyer waits for them and they mostly wait on Stripe. Served by
# its own worker with a pool of threads (docs/operations.md), they never wait behind customs filing or e-mails.
# A worker started without -Q serves both queues.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("payments"))
CELERY_TASK_ROUTES = {"payments.create_intent": {"queue": "payments"},
                      "payments.process_webhook_event": {"queue": "payments"}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# Commerce settings.
# Currencies the storefront prices in; amounts are converted with the FX rate in force.
LIVEDOCK_SUPPORTED_CURRENCIES = env.list(
    "LIVEDOCK_SUPPORTED_CURRENCIES",
    default=["USD", "EUR", "GBP", "JPY", "KRW", "AUD", "CAD", "SGD", "CNY"],
)
LIVEDOCK_DEFAULT_CURRENCY = env.str("LIVEDOCK_DEFAULT_CURRENCY", default="USD")

# Logs: one line per record on stdout. LOG_FORMAT=json (production default) writes JSON objects for a
# log shipper; "plain" is for a terminal. Every record carries the request id and task name
# (config/observability.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LIVEDOCK_ACCESS_LOG = env.bool("LIVEDOCK_ACCESS_LOG", default=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django.request logs every 4xx as a warning: a sold-out storm would write thousands of lines; the access
    # log has each request, and 5xx are still logged as errors.
    "loggers": {"stripe": {"level": "WARNING"}, "django.server": {"level": "WARNING"},
                "django.request": {"level": "ERROR"}},
}

# Audit trail (django-pghistory): database triggers record changes to prices, counted stock, flash deals,
# refunds and payouts; writes made by a request carry its user, path and request id, writes made by a
# Celery task carry the task's name and request id. Operators read it under /admin/ (audit trail).
PGHISTORY_ADMIN_MODEL = "audit.AuditEvent"
PGHISTORY_ADMIN_CLASS = "audit.admin.AuditEventAdmin"
PGHISTORY_ADMIN_LIST_DISPLAY = ["pgh_created_at", "pgh_obj_model", "pgh_obj_id", "pgh_label", "pgh_diff", "user",
                                "url", "task", "request_id"]
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")  # reads change nothing
# Writes that touch no audited table, on paths hot enough that the context costs (config/middleware.py): claims,
# adding to the cart and checkout (tests/orders/test_checkout_statements.py checks they write no audited row).
LIVEDOCK_AUDIT_SKIP_PATHS = r"^/api/v1/(live/deals/\d+/claims|cart/lines|checkout)/$"

# Metrics (GET /metrics, Prometheus text format). The processes of one machine add up through
# PROMETHEUS_MULTIPROC_DIR (config/metrics.py); the scraper sends "Authorization: Bearer
# <LIVEDOCK_METRICS_TOKEN>" (production requires a token).
LIVEDOCK_METRICS_TOKEN = env.str("LIVEDOCK_METRICS_TOKEN", default="")

# E-mail (account notices, password reset), sent by the worker: an SMTP URL such as
# smtp+tls://user:password@smtp.example.com:587, or consolemail:// to print them (the run command's choice).
_EMAIL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _EMAIL["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Livedock <no-reply@livedock.example>")

# Client addresses (config/client.py), which rate limits and login backoff count by: X-Forwarded-For is
# believed only when the connecting peer is one of these proxies (IPs or CIDRs, e.g. the load balancer's
# subnet). Empty (the default): the peer is the client, whatever headers it sends.
LIVEDOCK_TRUSTED_PROXIES = env.list("LIVEDOCK_TRUSTED_PROXIES", default=[])

# CORS: only the storefront origins listed here may call the API from a browser. Buyers authenticate with
# bearer tokens, so no cookies cross origins. Empty (the default) allows no cross-origin caller.
CORS_ALLOWED_ORIGINS = env.list("LIVEDOCK_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["X-Request-ID", "Retry-After"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "idempotency-key", "x-request-id",
                      "accept-language"]
CORS_PREFLIGHT_MAX_AGE = 3600

# Security headers on every response (SecurityMiddleware); production.py adds HTTPS and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-import-export: every import runs in a transaction, so a file with a broken row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Periodic work, declared in code; django-celery-beat's DatabaseScheduler syncs it at start.
CELERY_BEAT_SCHEDULE = {
    "shop-catalog-changes-prune": {
        "task": "shop.catalog_changes_prune",
        "schedule": 600.0,
    },
    "orders-expire-unpaid": {
        "task": "orders.expire_unpaid",
        "schedule": 60.0,
    },
    "payments-reconcile": {
        "task": "payments.reconcile",
        "schedule": 300.0,
    },
    "customs-declare-pending": {
        "task": "customs.declare_pending",
        "schedule": 300.0,
    },
    "customs-collect-receipts": {
        "task": "customs.collect_receipts",
        "schedule": 60.0,
    },
    "customs-monthly-summary": {
        "task": "customs.monthly_summary",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
    "live-metrics-rollup": {
        "task": "live.metrics_rollup",
        "schedule": 300.0,
    },
    "live-claims-expire": {
        "task": "live.claims_expire",
        "schedule": 10.0,
    },
    "live-gate-reconcile": {
        "task": "live.gate_reconcile",
        "schedule": 15.0,
    },
    "live-deals-settle": {
        "task": "live.deals_settle",
        "schedule": 15.0,
    },
    "payouts-create-due": {
        "task": "payments.payouts_create_due",
        "schedule": 600.0,
    },
    "product-listings-refresh": {
        "task": "shop.product_listings_refresh",
        "schedule": crontab(minute=5, hour=0),
    },
    "accounts-tokens-flush-expired": {
        "task": "accounts.tokens_flush_expired",
        "schedule": crontab(minute=20, hour=3),
    },
}

# Orders. An unpaid order holds its stock this long; a payment in progress holds it longer.
LIVEDOCK_RESERVATION_MINUTES = env.int("LIVEDOCK_RESERVATION_MINUTES", default=30)
LIVEDOCK_PAYMENT_HOLD_MINUTES = env.int("LIVEDOCK_PAYMENT_HOLD_MINUTES", default=20)
LIVEDOCK_MAX_QUANTITY_PER_LINE = env.int("LIVEDOCK_MAX_QUANTITY_PER_LINE", default=10)
LIVEDOCK_MAX_CART_LINES = env.int("LIVEDOCK_MAX_CART_LINES", default=30)

# Payments (Stripe). Keys come only from the environment; development uses a local Stripe-compatible
# server started by the run command. STRIPE_SEND_TRANSFER_GROUP is off only against that local server,
# which rejects Connect parameters.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="sk_test_livedock_local")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="pk_test_livedock_local")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="whsec_livedock_local")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
STRIPE_SEND_TRANSFER_GROUP = env.bool("STRIPE_SEND_TRANSFER_GROUP", default=True)
# "automatic" charges at payment; "manual" authorises at payment and captures what ships (partial capture).
STRIPE_CAPTURE_METHOD = env.str("STRIPE_CAPTURE_METHOD", default="automatic")
# The platform keeps this share of each line (before any live host's commission) when paying out.
LIVEDOCK_PLATFORM_FEE_RATE = Decimal(env.str("LIVEDOCK_PLATFORM_FEE_RATE", default="0.08"))
# Manufacturers and hosts are paid this long after the payment succeeds (refund and dispute window).
LIVEDOCK_PAYOUT_HOLD_HOURS = env.int("LIVEDOCK_PAYOUT_HOLD_HOURS", default=72)
# Work left undone longer than this is picked up by the reconciliation beats: orders pending payment are
# checked against Stripe; accepted Stripe events, pending payouts, requested refunds and paid parcels'
# declarations whose task never ran are done.
LIVEDOCK_RECONCILE_AFTER_MINUTES = env.int("LIVEDOCK_RECONCILE_AFTER_MINUTES", default=10)

# China export (9610) declarations. The codes are the platform's and its agent's registrations with
# customs; the office and port codes are those of the exit customs. Placeholders for development:
# set the real ones in production (the customs spec marks the official code tables as unverified).
CUSTOMS_PLATFORM_CODE = env.str("CUSTOMS_PLATFORM_CODE", default="3303960000")
CUSTOMS_PLATFORM_NAME = env.str("CUSTOMS_PLATFORM_NAME", default="Livedock")
CUSTOMS_AGENT_CODE = env.str("CUSTOMS_AGENT_CODE", default="3303980000")
CUSTOMS_AGENT_NAME = env.str("CUSTOMS_AGENT_NAME", default="Livedock Customs Agency")
CUSTOMS_LOGISTICS_CODE = env.str("CUSTOMS_LOGISTICS_CODE", default="3303970000")
CUSTOMS_LOGISTICS_NAME = env.str("CUSTOMS_LOGISTICS_NAME", default="Livedock Express")
CUSTOMS_OFFICE_CODE = env.str("CUSTOMS_OFFICE_CODE", default="2901")
CUSTOMS_PORT_CODE = env.str("CUSTOMS_PORT_CODE", default="2901")
CUSTOMS_DXP_ID = env.str("CUSTOMS_DXP_ID", default="DXPENT0000000000")
CUSTOMS_TRANSPORT = env.str("CUSTOMS_TRANSPORT", default="outbox")  # outbox or http
CUSTOMS_OUTBOX_DIR = env.path("CUSTOMS_OUTBOX_DIR", default=BASE_DIR / "var" / "customs" / "outbox")
CUSTOMS_INBOX_DIR = env.path("CUSTOMS_INBOX_DIR", default=BASE_DIR / "var" / "customs" / "inbox")
CUSTOMS_GATEWAY_URL = env.str("CUSTOMS_GATEWAY_URL", default="")
LIVEDOCK_IOSS_NUMBER = env.str("LIVEDOCK_IOSS_NUMBER", default="IM2760000000")
LIVEDOCK_UK_VAT_NUMBER = env.str("LIVEDOCK_UK_VAT_NUMBER", default="GB000000000")

# Live sessions last between these many minutes (TikTok allows 30 min to 13 h; live-commerce spec H4).
LIVEDOCK_SESSION_MINUTES = (env.int("LIVEDOCK_SESSION_MIN_MINUTES", default=30),
                            env.int("LIVEDOCK_SESSION_MAX_MINUTES", default=780))
# A Server-Sent Events stream closes after this long; EventSource clients reconnect by themselves.
LIVEDOCK_SSE_MAX_SECONDS = env.int("LIVEDOCK_SSE_MAX_SECONDS", default=600)
# Live deals: a claim holds units for checkout this long; the claim gate lives in this Redis (its keys of one
# deal share a hash tag, so a Redis Cluster URL works too) and answers within the timeout or the claim falls
# back to the database path, at most this many at once per process (beyond it: 503 with Retry-After).
LIVEDOCK_CLAIM_HOLD_SECONDS = env.int("LIVEDOCK_CLAIM_HOLD_SECONDS", default=300)
# A unit offered to a buyer on a sold-out deal's waitlist is held this long (short: the next one waits).
LIVEDOCK_WAITLIST_HOLD_SECONDS = env.int("LIVEDOCK_WAITLIST_HOLD_SECONDS", default=120)
LIVEDOCK_GATE_REDIS_URL = env.str("LIVEDOCK_GATE_REDIS_URL", default=REDIS_URL)
LIVEDOCK_GATE_TIMEOUT = env.float("LIVEDOCK_GATE_TIMEOUT", default=0.5)
LIVEDOCK_CLAIM_DB_FALLBACK_CONCURRENCY = env.int("LIVEDOCK_CLAIM_DB_FALLBACK_CONCURRENCY", default=4)
# Threads per ASGI web process that run claims (livestream/asgi.py); each borrows a pooled connection per
# claim, so keep it below DATABASE_POOL_MAX_SIZE to leave connections for the rest of the API.
LIVEDOCK_CLAIM_THREADS = env.int("LIVEDOCK_CLAIM_THREADS", default=4)
# Threads per ASGI web process that run Django's work for every other request (config/handler.py); with the
# claim threads they stay within DATABASE_POOL_MAX_SIZE, as each borrows a connection per request.
LIVEDOCK_DJANGO_THREADS = env.int("LIVEDOCK_DJANGO_THREADS", default=4)
# Open streams one web process serves, in all and from one client address; beyond either, 503 with Retry-After
# (a stream costs a socket and a little memory, no Redis connection and no database connection).
LIVEDOCK_SSE_MAX_STREAMS = env.int("LIVEDOCK_SSE_MAX_STREAMS", default=1000)
LIVEDOCK_SSE_MAX_STREAMS_PER_CLIENT = env.int("LIVEDOCK_SSE_MAX_STREAMS_PER_CLIENT", default=20)
# Fit reports change a product's recommendations only once it has at least this many.
LIVEDOCK_FIT_MIN_REPORTS = env.int("LIVEDOCK_FIT_MIN_REPORTS", default=5)
# Manufacturers see foot-size aggregates only over at least this many buyers (no single person's feet).
LIVEDOCK_FIT_MIN_BUYERS = env.int("LIVEDOCK_FIT_MIN_BUYERS", default=10)
# Failed passwords are counted per (account name, client address) (accounts/services/sign_in.py): this many
# attempts are free, then each waits twice as long as the last, from BASE up to MAX seconds. A success
# clears the count; so does FORGET seconds without an attempt.
LIVEDOCK_LOGIN_BACKOFF_AFTER = env.int("LIVEDOCK_LOGIN_BACKOFF_AFTER", default=5)
LIVEDOCK_LOGIN_BACKOFF_BASE_SECONDS = env.int("LIVEDOCK_LOGIN_BACKOFF_BASE_SECONDS", default=10)
LIVEDOCK_LOGIN_BACKOFF_MAX_SECONDS = env.int("LIVEDOCK_LOGIN_BACKOFF_MAX_SECONDS", default=900)
LIVEDOCK_LOGIN_BACKOFF_FORGET_SECONDS = env.int("LIVEDOCK_LOGIN_BACKOFF_FORGET_SECONDS", default=86400)

# The storefront's response cache (shop/catalog_cache.py, docs/catalog.md "Response cache"): rendered product
# lists and pages kept per process and dropped when the change log (written by database triggers) names
# something they show. Each process reads the log every POLL seconds (0: on every request, as the tests do),
# so a price change reaches the pages within that time; an answer is dropped after CACHE_SECONDS in any case.
LIVEDOCK_CATALOG_CHANGE_POLL_SECONDS = env.float("LIVEDOCK_CATALOG_CHANGE_POLL_SECONDS", default=0.25)
LIVEDOCK_CATALOG_CACHE_SECONDS = env.int("LIVEDOCK_CATALOG_CACHE_SECONDS", default=60)
LIVEDOCK_CATALOG_CACHE_MB = env.int("LIVEDOCK_CATALOG_CACHE_MB", default=64)
# How long a shared cache (a CDN) may serve an anonymous catalog answer without asking again; browsers always
# ask again, with the ETag, and get a 304 while it stands.
LIVEDOCK_CATALOG_SHARED_MAX_AGE = env.int("LIVEDOCK_CATALOG_SHARED_MAX_AGE", default=1)
