"""Reminders about project reports: before a report is due, and again when it is late.

:func:`report_reminders_send`, run daily by Celery beat, emails the party's
members once each (:class:`~grants.models.ReminderSent`), in each member's
language (:class:`~grants.models.ContactLanguage`, the language they last
used in the portal, recorded by :func:`contact_language_record`; French when
unknown). A report that is submitted, accepted or under review is not
reminded.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grants.models import (
    ContactLanguage,
    GrantStatus,
    ReminderKind,
    ReminderSent,
    ReportRequirement,
    ReportStatus,
)
from ledger.models import Membership
from ledger.money import money_format

OPEN_REPORT = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
"""Reports still to be written or rewritten: their reminders are due."""


def contact_language_record(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the language a user reads the portal in, for the emails sent to them.

    Called on every visit of an organisation's home: it reads, and writes
    only when the language changed.
    """
    if not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return
    known = ContactLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if known == language:
        return
    if known is None:
        ContactLanguage.objects.bulk_create([ContactLanguage(user=user, language=language)], ignore_conflicts=True)
    else:
        ContactLanguage.objects.filter(user=user).update(language=language)


def _reminder_message(requirement: ReportRequirement, kind: str) -> tuple[str, str]:
    grant = requirement.grant
    params = {
        "kind": requirement.get_kind_display().lower(),
        "title": grant.title,
        "party": grant.party.name,
        "date": date_format(requirement.due_date, "DATE_FORMAT"),
        "amount": money_format(grant.amount),
    }
    if kind == ReminderKind.BEFORE:
        subject = _("Reminder: %(kind)s due on %(date)s") % params
        intro = _("The %(kind)s of the grant “%(title)s” (%(party)s) is due on %(date)s.") % params
    else:
        subject = _("Late report: %(kind)s due on %(date)s") % params
        intro = _(
            "The %(kind)s of the grant “%(title)s” (%(party)s) was due on %(date)s and has not been received. "
            "The next payments of the grant may wait until it is accepted."
        ) % params
    body = "\n\n".join(
        [
            intro,
            _("You can write and submit it in the partners’ portal."),
            _("Reminder: a report holds counts and a description of activities, never the names of young people."),
        ]
    )
    return subject, body


def report_reminders_send(*, today: date, days_before: int | None = None) -> dict[str, int]:
    """Email the reminders due today, each at most once; the number sent of each kind."""
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
            members = list(
                Membership.objects.filter(party_id=requirement.grant.party_id, user__is_active=True)
                .exclude(user__email="")
                .select_related("user__contact_language")
            )
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(requirement=requirement, kind=kind, recipients=len(members))
                    for membership in members:
                        user = membership.user
                        language = getattr(getattr(user, "contact_language", None), "language", settings.LANGUAGE_CODE)
                        with translation.override(language):
                            subject, body = _reminder_message(requirement, kind)
                        send_mail(subject, body, None, [user.email])
            except IntegrityError:
                continue  # Another run sent it first.
            sent[kind.value] += 1
    return sent
