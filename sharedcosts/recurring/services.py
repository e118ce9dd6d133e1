"""What finance staff do with a recurring expense: schedule it, pause and resume it, end it early, amend its amount.

Each service refuses, in words and before writing anything, what cannot be
done; each keeps the schedule's history with the person who asked. Posted
occurrences are never touched (the database refuses it too): an amendment
reprices, and an early end or a pause skips, only occurrences not posted yet.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ledger.dates import date_words
from ledger.money import percent_text
from ledger.models import Party
from sharedcosts.errors import RecurringError
from sharedcosts.models import CostPool
from sharedcosts.recurring.models import (
    OccurrenceStatus,
    RecurringAmendment,
    RecurringExpense,
    RecurringOccurrence,
    Rhythm,
)
from sharedcosts.recurring.timetable import amount_on, days_between
from sharedcosts.services.pools import amount_size_check, pool_currency_check, pool_participant_check, staff_check

UNPOSTED = (OccurrenceStatus.SCHEDULED, OccurrenceStatus.FAILED)
"""Occurrences not posted yet: an amendment reprices them, a pause or an early end skips them."""

AMOUNT = RecurringExpense._meta.get_field("amount")

RECURRING_CURRENCY_REFUSAL = gettext_lazy(
    "The recurring expense is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s."
)


def recurring_amount_check(*, pool: CostPool, amount: Money) -> None:
    """Refuse an amount in another currency than the pool's, too wide for its column, or not above zero."""
    pool_currency_check(pool=pool, amount=amount, refusal=RECURRING_CURRENCY_REFUSAL)
    amount_size_check(amount=amount, field=AMOUNT, what=_("recurring expense"), error=RecurringError)
    if amount.amount <= 0:
        raise RecurringError(_("A recurring expense must be more than zero."), code="not_positive")


def recurring_check(
    *,
    pool: CostPool,
    payer: Party,
    amount: Money,
    rhythm: str,
    start_date: date,
    end_date: date | None = None,
    dates: Sequence[date] = (),
    indexation_rate: Decimal | None = None,
) -> None:
    """Refuse a schedule that cannot be posted as given; the admin's form shows the same refusals."""
    recurring_amount_check(pool=pool, amount=amount)
    pool_participant_check(pool=pool, party=payer)
    if rhythm not in Rhythm.values:
        raise RecurringError(_("Unknown rhythm: %(rhythm)s."), code="unknown_rhythm", params={"rhythm": rhythm})
    if end_date is not None and end_date < start_date:
        raise RecurringError(
            _("The schedule ends (%(end)s) before it starts (%(start)s)."),
            code="end_before_start",
            params={"end": date_words(end_date), "start": date_words(start_date)},
        )
    if indexation_rate is not None and not Decimal(0) <= indexation_rate <= Decimal(1):
        raise RecurringError(
            _("A yearly indexation is between 0%% and 100%%, not %(rate)s."),
            code="indexation_range",
            params={"rate": percent_text(indexation_rate)},
        )
    if rhythm != Rhythm.DATES:
        if dates:
            raise RecurringError(_("Given dates are only for the rhythm “on given dates”."), code="dates_not_expected")
        return
    if not dates:
        raise RecurringError(_("A schedule on given dates needs at least one date."), code="schedule_empty")
    if len(set(dates)) != len(dates):
        raise RecurringError(_("The schedule gives the same date twice."), code="schedule_duplicate_dates")
    outside = sorted(day for day in dates if day < start_date or (end_date is not None and day > end_date))
    if outside:
        raise RecurringError(
            _("These dates fall outside the schedule's start and end: %(dates)s."),
            code="schedule_outside_period",
            params={"dates": ", ".join(date_words(day) for day in outside)},
        )


def recurring_create(
    *,
    pool: CostPool,
    payer: Party,
    vendor: str,
    amount: Money,
    rhythm: str,
    start_date: date,
    end_date: date | None = None,
    dates: Sequence[date] = (),
    indexation_rate: Decimal | None = None,
    description: str = "",
    created_by: AbstractBaseUser,
) -> RecurringExpense:
    """Schedule an expense that the pool's lead organisation pays again and again; the daily run posts it."""
    staff_check(created_by, error=RecurringError)
    recurring_check(
        pool=pool,
        payer=payer,
        amount=amount,
        rhythm=rhythm,
        start_date=start_date,
        end_date=end_date,
        dates=dates,
        indexation_rate=indexation_rate,
    )
    schedule = RecurringExpense(
        pool=pool,
        payer=payer,
        vendor=vendor,
        description=description,
        amount=amount,
        rhythm=rhythm,
        dates=sorted(dates),
        start_date=start_date,
        end_date=end_date,
        indexation_rate=indexation_rate,
        created_by=created_by,
    )
    schedule._history_user = created_by
    schedule.save()
    return schedule


def schedule_amount_on(schedule: RecurringExpense, day: date) -> Money:
    """The schedule's amount on ``day``, with its amendments and its indexation."""
    return amount_on(
        day=day,
        first_amount=schedule.amount,
        start_date=schedule.start_date,
        amendments=[(amendment.effective_from, amendment.amount) for amendment in schedule.amendments.all()],
        indexation_rate=schedule.indexation_rate,
    )


def _locked(schedule: RecurringExpense) -> RecurringExpense:
    """The schedule, locked until the caller's transaction ends: the daily run plans under the same lock."""
    return RecurringExpense.objects.select_for_update(of=("self",)).select_related("pool").get(pk=schedule.pk)


def _last_posted(schedule: RecurringExpense) -> date | None:
    return schedule.occurrences.filter(status=OccurrenceStatus.POSTED).aggregate(last=Max("date"))["last"]


def _save(schedule: RecurringExpense, user: AbstractBaseUser, fields: list[str]) -> None:
    schedule._history_user = user
    schedule.save(update_fields=fields)


def recurring_amend(
    *, schedule: RecurringExpense, effective_from: date, amount: Money, amended_by: AbstractBaseUser
) -> RecurringAmendment:
    """A new amount from ``effective_from`` on; later indexations build on it.

    Occurrences already posted keep their amount; those not posted yet from
    that date on take the new one. Amending again from the same date
    replaces that amendment (its history keeps the former amount).
    """
    staff_check(amended_by, error=RecurringError)
    with transaction.atomic():
        schedule = _locked(schedule)
        recurring_amount_check(pool=schedule.pool, amount=amount)
        if effective_from < schedule.start_date or (schedule.end_date is not None and effective_from > schedule.end_date):
            raise RecurringError(
                _("An amendment takes effect between the schedule's start and end, not on %(date)s."),
                code="amendment_outside_schedule",
                params={"date": date_words(effective_from)},
            )
        amendment = RecurringAmendment.objects.filter(schedule=schedule, effective_from=effective_from).first()
        amendment = amendment or RecurringAmendment(schedule=schedule, effective_from=effective_from)
        amendment.amount = amount
        amendment.amended_by = amended_by
        amendment._history_user = amended_by
        amendment.save()
        repriced = []
        # Locked, then read again: an occurrence the daily run posts meanwhile is left out.
        for occurrence in schedule.occurrences.select_for_update().filter(status__in=UNPOSTED, date__gte=effective_from):
            occurrence.amount = schedule_amount_on(schedule, occurrence.date)
            repriced.append(occurrence)
        bulk_update_with_history(repriced, RecurringOccurrence, ["amount"], default_user=amended_by)
    return amendment


def _refuse_posted_from(schedule: RecurringExpense, day: date, *, message: str) -> None:
    """Refuse when an occurrence on or after ``day`` is posted: ``message`` names it as ``%(posted)s``."""
    last = _last_posted(schedule)
    if last is not None and last >= day:
        raise RecurringError(message, code="posted_after", params={"posted": date_words(last)})


def _skip(schedule: RecurringExpense, *, first: date, last: date, reason: str, user: AbstractBaseUser) -> None:
    """Skip the schedule's days from ``first`` to ``last``: the unposted occurrences planned, and those not planned yet."""
    planned = {o.date: o for o in schedule.occurrences.select_for_update().filter(date__gte=first, date__lte=last)}
    skipped = []
    for occurrence in planned.values():
        if occurrence.status in UNPOSTED:
            occurrence.status, occurrence.note = OccurrenceStatus.SKIPPED, reason
            skipped.append(occurrence)
    bulk_update_with_history(skipped, RecurringOccurrence, ["status", "note"], default_user=user)
    days = days_between(
        rhythm=schedule.rhythm,
        start_date=schedule.start_date,
        end_date=schedule.end_date,
        dates=schedule.dates,
        first=first,
        last=last,
    )
    new = [
        RecurringOccurrence(
            schedule=schedule, date=day, amount=schedule_amount_on(schedule, day), status=OccurrenceStatus.SKIPPED, note=reason
        )
        for day in days
        if day not in planned
    ]
    bulk_create_with_history(new, RecurringOccurrence, default_user=user)


def recurring_pause(*, schedule: RecurringExpense, paused_from: date, paused_by: AbstractBaseUser) -> RecurringExpense:
    """Post nothing from ``paused_from`` until the schedule is resumed; the days in between are skipped."""
    staff_check(paused_by, error=RecurringError)
    with transaction.atomic():
        schedule = _locked(schedule)
        if schedule.paused_from is not None:
            raise RecurringError(
                _("The schedule is paused already, from %(date)s."),
                code="already_paused",
                params={"date": date_words(schedule.paused_from)},
            )
        if schedule.end_date is not None and paused_from > schedule.end_date:
            raise RecurringError(
                _("The schedule ends on %(date)s; there is nothing to pause after."),
                code="ended",
                params={"date": date_words(schedule.end_date)},
            )
        _refuse_posted_from(
            schedule, paused_from, message=_("The occurrence of %(posted)s is posted already; pause from a later date.")
        )
        schedule.paused_from = paused_from
        _save(schedule, paused_by, ["paused_from"])
    return schedule


def recurring_resume(*, schedule: RecurringExpense, resumed_on: date, resumed_by: AbstractBaseUser) -> RecurringExpense:
    """Post again from ``resumed_on``; the days of the pause are skipped, not caught up."""
    staff_check(resumed_by, error=RecurringError)
    with transaction.atomic():
        schedule = _locked(schedule)
        if schedule.paused_from is None:
            raise RecurringError(_("The schedule is not paused."), code="not_paused")
        if resumed_on < schedule.paused_from:
            raise RecurringError(
                _("The schedule is paused from %(paused)s; it resumes on that day or later, not on %(date)s."),
                code="resume_before_pause",
                params={"paused": date_words(schedule.paused_from), "date": date_words(resumed_on)},
            )
        if resumed_on > schedule.paused_from:
            reason = _("Skipped: the schedule was paused from %(from)s to %(until)s.") % {
                "from": date_words(schedule.paused_from),
                "until": date_words(resumed_on - timedelta(days=1)),
            }
            _skip(schedule, first=schedule.paused_from, last=resumed_on - timedelta(days=1), reason=reason, user=resumed_by)
        schedule.paused_from = None
        _save(schedule, resumed_by, ["paused_from"])
    return schedule


def recurring_end(*, schedule: RecurringExpense, end_date: date, ended_by: AbstractBaseUser) -> RecurringExpense:
    """End the schedule early, on ``end_date``: the occurrences after it are skipped."""
    staff_check(ended_by, error=RecurringError)
    with transaction.atomic():
        schedule = _locked(schedule)
        if end_date < schedule.start_date:
            raise RecurringError(
                _("The schedule starts on %(start)s; it cannot end before."),
                code="end_before_start",
                params={"start": date_words(schedule.start_date)},
            )
        if schedule.end_date is not None and end_date >= schedule.end_date:
            raise RecurringError(
                _("The schedule ends on %(date)s already; it can only end earlier."),
                code="not_earlier",
                params={"date": date_words(schedule.end_date)},
            )
        _refuse_posted_from(
            schedule,
            end_date + timedelta(days=1),
            message=_("The occurrence of %(posted)s is posted already; the schedule cannot end before it."),
        )
        reason = _("Skipped: the schedule ended on %(date)s.") % {"date": date_words(end_date)}
        skipped = list(schedule.occurrences.select_for_update().filter(status__in=UNPOSTED, date__gt=end_date))
        for occurrence in skipped:
            occurrence.status, occurrence.note = OccurrenceStatus.SKIPPED, reason
        bulk_update_with_history(skipped, RecurringOccurrence, ["status", "note"], default_user=ended_by)
        schedule.end_date = end_date
        _save(schedule, ended_by, ["end_date"])
    return schedule
