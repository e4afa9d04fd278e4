"""The app's connections to the test database, found by the application name each child process sets
(see processes.database_url); never this test's own connection nor anything on another database."""

import threading
from contextlib import contextmanager

from django.db import connection, transaction

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


def waiting_for_locks(*application_names: str) -> int:
    """How many of their connections wait for a lock another transaction holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {_THEIRS} AND wait_event_type = 'Lock'",  # noqa: S608
                       [list(application_names)])
        return cursor.fetchone()[0]


@contextmanager
def rows_locked(queryset):
    """Hold row locks on the queryset's rows from a transaction of the test's own (another thread, another
    connection, never one of the app's), as a long transaction would, until the block ends."""
    locked, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                list(queryset.select_for_update())
                locked.set()
                done.wait(60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert locked.wait(10), "the rows were not locked"
    try:
        yield
    finally:
        done.set()
        holder.join(10)
