"""The ledger's tasks: sending the notifications recorded by the apps, after their transaction commits.

A mail server error (smtplib's errors are ``OSError`` s, as are a refused or
timed-out connection) retries the task with an exponential backoff; the
retry sends only what is still unsent.
"""

from celery import shared_task

from config.celery import AT_LEAST_ONCE
from ledger.notifications.delivery import notifications_send

NOTIFICATIONS_TASK_NAME = "ledger.send_notifications"


@shared_task(
    name=NOTIFICATIONS_TASK_NAME, **{**AT_LEAST_ONCE, "autoretry_for": (*AT_LEAST_ONCE["autoretry_for"], OSError)}
)
def send_notifications(event_keys: list[str]) -> int:
    """Send the unsent notifications of ``event_keys``; the number sent."""
    return notifications_send(event_keys=event_keys)
