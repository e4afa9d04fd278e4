#!/usr/bin/env bash
# Install, migrate, load demo data and run the API, the Celery workers and beat. See devtools/stack.py.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec python -m devtools.stack
