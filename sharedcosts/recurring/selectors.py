"""Reading recurring expenses: a schedule's next occurrences, those of all schedules over some months, and a
pool's recurring total for its period beside its budgeted cost."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from moneyed import Money

from sharedcosts.models import CostPool
from sharedcosts.recurring.models import OccurrenceStatus, RecurringExpense
from sharedcosts.recurring.services import schedule_amount_on
from sharedcosts.recurring.timetable import occurrence_days

NOT_TO_POST = (OccurrenceStatus.POSTED, OccurrenceStatus.SKIPPED)


@dataclass(frozen=True)
class Occurrence:
    """A day of a schedule and its amount on that day, whether its row is planned yet or not."""

    schedule: RecurringExpense
    date: date
    amount: Money
    status: str = OccurrenceStatus.SCHEDULED


def _days(schedule: RecurringExpense, *, first: date, last: date | None = None) -> Iterator[Occurrence]:
    """The schedule's days from ``first`` (to ``last``), as planned or as they would be; a pause stops them."""
    planned = {o.date: o for o in schedule.occurrences.filter(date__gte=first)}
    days = occurrence_days(
        rhythm=schedule.rhythm, start_date=schedule.start_date, end_date=schedule.end_date, dates=schedule.dates
    )
    for day in days:
        if last is not None and day > last:
            return
        if day < first:
            continue
        if day in planned:
            yield Occurrence(schedule, day, planned[day].amount, planned[day].status)
        elif schedule.paused_from is not None and day >= schedule.paused_from:
            return
        else:
            yield Occurrence(schedule, day, schedule_amount_on(schedule, day))


def recurring_next(*, schedule: RecurringExpense, today: date, count: int = 6) -> list[Occurrence]:
    """The schedule's next ``count`` occurrences to post, from ``today`` on; none past a pause."""
    upcoming = []
    for occurrence in _days(schedule, first=today):
        if len(upcoming) == count:
            break
        if occurrence.status not in NOT_TO_POST:
            upcoming.append(occurrence)
    return upcoming


def recurring_between(*, first: date, last: date) -> list[Occurrence]:
    """Every schedule's occurrences still to post from ``first`` to ``last``, by date."""
    schedules = (
        RecurringExpense.objects.filter(start_date__lte=last)
        .exclude(end_date__lt=first)
        .select_related("pool", "payer")
        .prefetch_related("amendments")
    )
    occurrences = [
        occurrence
        for schedule in schedules
        for occurrence in _days(schedule, first=first, last=last)
        if occurrence.status not in NOT_TO_POST
    ]
    return sorted(occurrences, key=lambda occurrence: (occurrence.date, occurrence.schedule.vendor))


@dataclass(frozen=True)
class RecurringBudget:
    """A pool's recurring expenses over its period (posted, or to post as they stand) beside its budgeted cost."""

    total: Money
    budgeted: Money

    @property
    def difference(self) -> Money:
        return self.total - self.budgeted


def pool_recurring_budget(*, pool: CostPool) -> RecurringBudget | None:
    """The pool's recurring total for its period and its budgeted cost; ``None`` without a recurring expense in it.

    Posted occurrences count at their posted amount, skipped ones not at all,
    and the days after a pause not until it is resumed.
    """
    schedules = list(
        pool.recurring_expenses.filter(start_date__lte=pool.end_date)
        .exclude(end_date__lt=pool.start_date)
        .prefetch_related("amendments")
    )
    if not schedules:
        return None
    total = Money("0.00", pool.currency)
    for schedule in schedules:
        for occurrence in _days(schedule, first=pool.start_date, last=pool.end_date):
            if occurrence.status != OccurrenceStatus.SKIPPED:
                total += occurrence.amount
    return RecurringBudget(total=total, budgeted=pool.budgeted_cost)
