import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# Connections come from the process's pool (config/settings/base.py, DATABASES): a request borrows one and
# returns it, whichever thread ran its database work.
django_streams = get_asgi_application()

import re  # noqa: E402

from django.conf import settings  # noqa: E402

from config.handler import ThreadedHandler, routed  # noqa: E402

STREAM_PATH = re.compile(r"^/api/v1/live/sessions/[0-9]+/events/$")
django_application = routed(ThreadedHandler(settings.LIVEDOCK_DJANGO_THREADS), django_streams, STREAM_PATH.match)

from config.lifespan import with_lifespan  # noqa: E402
from livestream.asgi import claims_first  # noqa: E402 - needs the apps loaded by get_asgi_application
from shop.asgi import catalog_first  # noqa: E402

# Answered before Django's request handling: live-deal claims, on threads of their own (livestream/asgi.py), and
# catalog reads the process has rendered already (shop/asgi.py). The process warms up before it serves
# (config/lifespan.py).
application = with_lifespan(catalog_first(claims_first(django_application)))
