"""The one place that reads the process environment. Settings modules import `env` from here."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A local .env is a convenience for development; the real environment always wins.
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    env.read_env(str(_dotenv), overwrite=False)
