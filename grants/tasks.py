"""The daily disbursement task: a thin wrapper around the service.

It is safe under at-least-once delivery: the message is acknowledged only
once the run has ended (``acks_late``) and is delivered again if the worker
dies (``reject_on_worker_lost``); the run itself pays each instalment at
most once whoever runs it and however often. A transient database error
(a lost connection, a deadlock, a lock timeout) retries the whole run with
an exponential backoff: what was committed stays paid, the rest is taken up.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from config.celery import AT_LEAST_ONCE
from grants.services import disbursements_post_due, report_reminders_send

TASK_NAME = "grants.post_due_disbursements"


@shared_task(name=TASK_NAME, **AT_LEAST_ONCE)
def post_due_disbursements(today: str | None = None) -> dict[str, object]:
    """Pay the instalments due on or before ``today`` (ISO date; default: the local date)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return disbursements_post_due(today=day).as_dict()


REMINDERS_TASK_NAME = "grants.send_report_reminders"


@shared_task(name=REMINDERS_TASK_NAME, **AT_LEAST_ONCE)
def send_report_reminders(today: str | None = None) -> dict[str, int]:
    """Email the report reminders due on ``today`` (ISO date; default: the local date), each once."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return report_reminders_send(today=day)
