import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# Connections come from the process's pool (config/settings/base.py, DATABASES): a request borrows one and
# returns it, whichever thread ran its database work.
application = get_asgi_application()
