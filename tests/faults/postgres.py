"""The app's connections to the test database, found by the application name each child process sets
(see processes.database_url); never this test's own connection nor anything on another database."""

from django.db import connection

_THEIRS = "datname = current_database() AND pid <> pg_backend_pid() AND application_name = ANY(%s)"


def connections_of(*application_names: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {_THEIRS}", [list(application_names)])  # noqa: S608
        return cursor.fetchone()[0]


def drop_connections(*application_names: str) -> int:
    """pg_terminate_backend on each of them, as a failover or an idle-connection reaper would."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "  # noqa: S608
                       f"WHERE {_THEIRS}", [list(application_names)])
        return cursor.fetchone()[0]
