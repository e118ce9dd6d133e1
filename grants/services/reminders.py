"""Reminders about project reports: before a report is due, and again when it is late.

:func:`report_reminders_send`, run daily by Celery beat, reminds the party's
members of each report once per kind (:class:`~grants.models.ReminderSent`
records that it was done) through the product's notifications
(:func:`grants.notifications.report_reminder_notify`): each member once, in
their language, sent after the run's transaction commits. A report that is
submitted, accepted or under review is not reminded.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from grants.models import GrantStatus, ReminderKind, ReminderSent, ReportRequirement, ReportStatus
from grants.notifications import report_reminder_notify

OPEN_REPORT = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
"""Reports still to be written or rewritten: their reminders are due."""


def report_reminders_send(*, today: date, days_before: int | None = None) -> dict[str, int]:
    """Remind of the reports due soon or late today, each at most once; the number reminded of each kind."""
    days_before = settings.REPORT_REMINDER_DAYS_BEFORE if days_before is None else days_before
    open_requirements = (
        ReportRequirement.objects.filter(grant__status__in=(GrantStatus.APPROVED, GrantStatus.ACTIVE))
        .filter(Q(report__isnull=True) | Q(report__status__in=OPEN_REPORT))
        .select_related("grant__party")
    )
    due = {
        ReminderKind.BEFORE: open_requirements.filter(
            due_date__gte=today, due_date__lte=today + timedelta(days=days_before)
        ).exclude(reminders__kind=ReminderKind.BEFORE),
        ReminderKind.LATE: open_requirements.filter(due_date__lt=today).exclude(reminders__kind=ReminderKind.LATE),
    }
    sent = {ReminderKind.BEFORE.value: 0, ReminderKind.LATE.value: 0}
    for kind, requirements in due.items():
        for requirement in requirements:
            try:
                with transaction.atomic():
                    recipients = report_reminder_notify(requirement=requirement, kind=kind)
                    ReminderSent.objects.create(requirement=requirement, kind=kind, recipients=recipients)
            except IntegrityError:
                continue  # Another run reminded of it first.
            sent[kind.value] += 1
    return sent
