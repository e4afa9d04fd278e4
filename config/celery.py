import os

from celery import Celery

from config import observability

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("livedock")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

observability.connect_celery_signals()
