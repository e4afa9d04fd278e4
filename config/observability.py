"""Request ids and structured logs.

Every request gets an id: the caller's `X-Request-ID` when it is a sane token (a load balancer or the
storefront may set one), otherwise a fresh UUID. The id is echoed in the response header, attached to
every log record written while the request runs, and travels in the headers of every Celery task the
request queues, so a worker's log lines carry the id of the request that caused them. Tasks queued by
beat or by another task get an id of their own (or inherit their parent task's).
"""

from __future__ import annotations

import contextvars
import logging
import logging.config
import re
import time
import uuid

import pghistory
from celery import signals
from django.conf import settings

from config import metrics

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("livedock_request_id", default="")
_task: contextvars.ContextVar[str] = contextvars.ContextVar("livedock_task", default="")


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def new_request_id(candidate: str | None = None) -> str:
    """The caller's id when it is a plain token of sane length, else a new one (never trust free text in logs)."""
    if candidate and _VALID_ID.match(candidate):
        return candidate
    return uuid.uuid4().hex


def _record_factory(*args, **kwargs) -> logging.LogRecord:
    record = _base_record_factory(*args, **kwargs)
    record.request_id = _request_id.get()
    record.task = _task.get()
    return record


# Every log record, from any logger and any handler, carries the request id and the running task's name
# (empty strings when there is none), so formatters can always refer to them.
_base_record_factory = logging.getLogRecordFactory()
if getattr(_base_record_factory, "__name__", "") != "_record_factory":
    logging.setLogRecordFactory(_record_factory)


# --- Celery: the request id travels in the task message headers --------------------------------

_task_started: dict[str, float] = {}
_task_tokens: dict[str, tuple[contextvars.Token, contextvars.Token]] = {}
_task_audit: dict[str, pghistory.context] = {}


def _on_publish(headers=None, **_kwargs) -> None:
    """Runs in the process that queues a task (a request's on_commit, beat, or another task)."""
    if headers is not None and not headers.get("request_id"):
        headers["request_id"] = current_request_id() or new_request_id()


def _on_prerun(task_id=None, task=None, **_kwargs) -> None:
    request_id = getattr(task.request, "request_id", None) or new_request_id()
    _task_tokens[task_id] = (bind_request_id(new_request_id(request_id)), _task.set(task.name))
    _task_started[task_id] = time.perf_counter()
    audit = pghistory.context(task=task.name, request_id=current_request_id())  # writes name the task
    audit.__enter__()
    _task_audit[task_id] = audit


def _on_postrun(task_id=None, task=None, state=None, **_kwargs) -> None:
    started = _task_started.pop(task_id, None)
    if started is not None:
        metrics.observe("livedock_task_duration_seconds", {"task": task.name, "state": state or "UNKNOWN"},
                        time.perf_counter() - started)
    audit = _task_audit.pop(task_id, None)
    if audit is not None:
        audit.__exit__(None, None, None)
    tokens = _task_tokens.pop(task_id, None)
    if tokens is not None:
        _task.reset(tokens[1])
        reset_request_id(tokens[0])


def _on_failure(sender=None, **_kwargs) -> None:
    metrics.increment("livedock_task_failures", {"task": getattr(sender, "name", "unknown")})


def _on_retry(sender=None, **_kwargs) -> None:
    metrics.increment("livedock_task_retries", {"task": getattr(sender, "name", "unknown")})


def _configure_worker_logging(**_kwargs) -> None:
    """Workers log through the project's LOGGING (same format and request ids as the web processes)."""
    logging.config.dictConfig(settings.LOGGING)


def connect_celery_signals() -> None:
    signals.before_task_publish.connect(_on_publish, weak=False)
    signals.task_prerun.connect(_on_prerun, weak=False)
    signals.task_postrun.connect(_on_postrun, weak=False)
    signals.task_failure.connect(_on_failure, weak=False)
    signals.task_retry.connect(_on_retry, weak=False)
    signals.setup_logging.connect(_configure_worker_logging, weak=False)
