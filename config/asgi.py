import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# Under ASGI every request runs its database work in a thread of its own, so a kept-open connection is
# one per concurrent request, left open after it: a burst of requests exhausts PostgreSQL's connections.
# Django's advice is to keep none (its databases reference, "Persistent connections").
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
application = get_asgi_application()
