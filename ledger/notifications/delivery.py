"""Sending the recorded notifications: each at most once, whoever sends and however often."""

from collections.abc import Sequence

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from ledger.notifications.models import Notification


def notifications_send(*, event_keys: Sequence[str]) -> int:
    """Send the events' notifications not sent yet; the number sent.

    Each is sent while its row is locked and marked sent in the same
    transaction: a second sender skips the row it finds locked, and finds it
    sent afterwards. A mail server error ends the call with the rest unsent
    (what was sent stays marked), for the task to retry.
    """
    unsent = list(
        Notification.objects.filter(event_key__in=event_keys, sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    if not unsent:
        return 0
    sent = 0
    with get_connection() as connection:
        for pk in unsent:
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
                )
                if notification is None:
                    continue
                EmailMessage(
                    notification.subject, notification.body, None, [notification.email], connection=connection
                ).send()
                notification.sent_at = timezone.now()
                notification.save(update_fields=["sent_at"])
            sent += 1
    return sent
