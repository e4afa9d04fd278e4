# One image for web, worker, beat and the migrate job; only the command differs.
FROM python:3.11-slim-bookworm

# PROMETHEUS_MULTIPROC_DIR: every web and worker process keeps its metrics in a file there and /metrics adds
# them up (config/metrics.py). A new container starts with it empty; docker-compose.yml mounts one tmpfs volume
# there for web and worker, empty at each start of the stack.
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PROMETHEUS_MULTIPROC_DIR=/var/lib/livedock/metrics

WORKDIR /app
RUN useradd --system --create-home livedock
# The runtime only: no test tools, local Stripe server or embedded databases (those are requirements-dev.txt).
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p "$PROMETHEUS_MULTIPROC_DIR" && chown -R livedock /app "$PROMETHEUS_MULTIPROC_DIR"
USER livedock
EXPOSE 8000
CMD ["gunicorn", "config.asgi:application", "-k", "uvicorn_worker.UvicornWorker", "--bind", "0.0.0.0:8000", "--workers", "3", "--backlog", "4096"]
