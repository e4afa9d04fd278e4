"""Queueing a task from a service: after the transaction commits, by the task's stable name.

Services name the task rather than import it, so no domain module depends on a tasks module (tasks call
services, never the reverse). `robust`: the work is already recorded in the database; if the broker
cannot take the message, the reconciliation beats find the row and queue it again.
"""

from __future__ import annotations

from celery import current_app
from django.db import InterfaceError, OperationalError, transaction


def enqueue_on_commit(task_name: str, *args) -> None:
    # Nothing reads task results (CELERY_TASK_IGNORE_RESULT): say so, or send_task would subscribe to one.
    transaction.on_commit(lambda: current_app.send_task(task_name, args=args, ignore_result=True), robust=True)


# A dropped database connection (failover, restart, a reaper of idle connections) fails only the task
# using it; the retry gets a fresh connection. Tasks that retry on transient trouble include these.
DATABASE_GONE = (OperationalError, InterfaceError)
