"""The Celery app, and the delivery options every task of ours shares.

Each task is acknowledged only once it has ended (``acks_late``) and is
delivered again if its worker dies (``reject_on_worker_lost``); a transient
database error (a lost connection, a deadlock, a lock timeout) retries it
with an exponential backoff. So a task must be safe to run twice, which is
what the services behind our tasks promise (idempotency keys, finished jobs
not run again). Tasks are queued only after the database transaction that
asks for them commits: use :func:`queue_after_commit`.
"""

import os
from collections.abc import Callable

from celery import Celery
from django.db import InterfaceError, OperationalError, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("aire_ouverte")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Named here because ``setup_schedules`` (in grants) schedules it, and grants and shared costs do not import each other.
RECURRING_EXPENSES_TASK = "sharedcosts.post_due_recurring_expenses"

AT_LEAST_ONCE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 10,
}


def queue_after_commit(task: Callable, *args: object, **kwargs: object) -> None:
    """Send ``task`` with ids and strings once the current transaction commits (at once outside one).

    A task queued before its data is committed could run on a worker that
    cannot see that data yet, or for data that a rollback then removes.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs))
