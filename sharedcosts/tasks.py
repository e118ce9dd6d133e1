"""The daily run of recurring expenses: a thin wrapper around the service.

Safe under at-least-once delivery, as the disbursements' task is: the run
posts each occurrence at most once whoever runs it and however often, and a
transient database error retries the whole run (what was committed stays
posted, the rest is taken up).
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from config.celery import AT_LEAST_ONCE, RECURRING_EXPENSES_TASK
from sharedcosts.recurring.run import recurring_post_due


@shared_task(name=RECURRING_EXPENSES_TASK, **AT_LEAST_ONCE)
def post_due_recurring_expenses(today: str | None = None) -> dict[str, object]:
    """Post the occurrences due on or before ``today`` (ISO date; default: the local date)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return recurring_post_due(today=day).as_dict()
