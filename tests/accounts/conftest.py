import pytest

from accounts import tasks as account_tasks
from config import task_queue
from config.celery import app as celery_app

TASK_MODULES = (account_tasks,)  # imported so the app knows their tasks by name, as a worker does


class InlineWorker:
    """Stands in for the broker: a task queued after commit runs at once, in the thread that queued it, as
    a worker would run it (retries aside)."""

    def __init__(self):
        self.sent: list[tuple[str, tuple]] = []

    def send_task(self, name, args=(), **options):
        self.sent.append((name, tuple(args)))
        return celery_app.tasks[name].apply(args=args, throw=True)


@pytest.fixture
def tasks_inline(monkeypatch) -> InlineWorker:
    """Queued tasks run inline; wrap the request in django_capture_on_commit_callbacks(execute=True)."""
    worker = InlineWorker()
    monkeypatch.setattr(task_queue, "current_app", worker)
    return worker
