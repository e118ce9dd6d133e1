"""The days a recurring expense falls on, and its amount on each: pure arithmetic, no database.

Monthly, quarterly and yearly occurrences fall on the start date's day of the
month, or the month's last day when it is shorter (:func:`ledger.dates.add_months`):
a rent from 31 January falls on 28 or 29 February, then on 31 March; a
yearly premium from 29 February 2024 falls on 28 February 2025. Each
occurrence is counted from the start, never from the one before, so a short
month does not pull the following ones earlier.

The amount is the first amount, or the latest amendment's from its date on;
with an indexation rate it then grows on each 1 April strictly after that
start or amendment date, compounded and rounded each year:
``money_round(previous × (1 + rate))``.
"""

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import count

from moneyed import Money

from ledger.dates import add_months
from ledger.money import money_round
from sharedcosts.recurring.models import Rhythm

MONTHS_BETWEEN = {Rhythm.MONTHLY: 1, Rhythm.QUARTERLY: 3, Rhythm.YEARLY: 12}
INDEXATION_MONTH, INDEXATION_DAY = 4, 1


def occurrence_days(
    *, rhythm: str, start_date: date, end_date: date | None = None, dates: Sequence[date] = ()
) -> Iterator[date]:
    """The schedule's days in order, from its start to its end (forever without one)."""
    if rhythm == Rhythm.DATES:
        for day in sorted(set(dates)):
            if day >= start_date and (end_date is None or day <= end_date):
                yield day
        return
    step = MONTHS_BETWEEN[rhythm]
    for index in count():
        day = add_months(start_date, step * index)
        if end_date is not None and day > end_date:
            return
        yield day


def days_between(
    *, rhythm: str, start_date: date, end_date: date | None, dates: Sequence[date], first: date, last: date
) -> list[date]:
    """The schedule's days from ``first`` to ``last``, both included."""
    days = []
    for day in occurrence_days(rhythm=rhythm, start_date=start_date, end_date=end_date, dates=dates):
        if day > last:
            break
        if day >= first:
            days.append(day)
    return days


def amount_on(
    *,
    day: date,
    first_amount: Money,
    start_date: date,
    amendments: Sequence[tuple[date, Money]] = (),
    indexation_rate: Decimal | None = None,
) -> Money:
    """The amount of an occurrence on ``day``: the amount in force, indexed on each 1 April since it took effect."""
    since, amount = start_date, first_amount
    for effective_from, amended in sorted(amendments, key=lambda pair: pair[0]):
        if effective_from <= day:
            since, amount = effective_from, amended
    if indexation_rate:
        for year in range(since.year, day.year + 1):
            if since < date(year, INDEXATION_MONTH, INDEXATION_DAY) <= day:
                amount = money_round(amount.amount * (1 + indexation_rate), amount.currency)
    return amount
