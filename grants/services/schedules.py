"""A grant's schedule: the days its instalments fall due and the split of its amount over them.

The schedule is one payment, monthly, quarterly or given dates. The amounts
are a largest-remainder split of the grant (:func:`ledger.money.split`), so
they sum to it exactly, the first instalments taking the extra cents. A
grant is planned at its creation and its unpaid part again at each
amendment (:mod:`grants.services.lifecycle`).
"""

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _
from moneyed import Money

from grants.errors import GrantError
from grants.models import Grant, Instalment, ScheduleFrequency
from ledger.dates import add_months
from ledger.money import minor_unit, split


def schedule_dates(
    *, frequency: str, start_date: date, end_date: date, dates: Sequence[date] | None = None
) -> list[date]:
    """The due dates of a schedule over a grant's period, in order.

    Monthly and quarterly instalments fall on the start date's day of the
    month (or the month's last day when it is shorter), from the start date
    to the end date included. Given dates must all lie within the period.
    """
    if frequency == ScheduleFrequency.SINGLE:
        return [start_date]
    if frequency in (ScheduleFrequency.MONTHLY, ScheduleFrequency.QUARTERLY):
        step = 1 if frequency == ScheduleFrequency.MONTHLY else 3
        planned = []
        while (day := add_months(start_date, step * len(planned))) <= end_date:
            planned.append(day)
        return planned
    if frequency != ScheduleFrequency.DATES:
        raise GrantError(
            _("Unknown instalment schedule: %(frequency)s."), code="unknown_frequency", params={"frequency": frequency}
        )
    given = sorted(dates or [])
    if not given:
        raise GrantError(_("A schedule by given dates needs at least one date."), code="schedule_empty")
    if len(set(given)) != len(given):
        raise GrantError(_("The schedule gives the same date twice."), code="schedule_duplicate_dates")
    outside = [day for day in given if not start_date <= day <= end_date]
    if outside:
        raise GrantError(
            _("The schedule does not fit the grant's period (%(start)s to %(end)s): %(dates)s."),
            code="schedule_outside_period",
            params={
                "start": start_date.isoformat(),
                "end": end_date.isoformat(),
                "dates": ", ".join(day.isoformat() for day in outside),
            },
        )
    return given


def instalments_plan(*, grant: Grant, total: Money, dates: Sequence[date], first_sequence: int) -> list[Instalment]:
    """Unsaved instalments that split ``total`` over ``dates``; the first ones take the extra cents."""
    if not dates:
        return []
    if len(dates) > total.amount / minor_unit(total.currency):
        raise GrantError(
            _("%(amount)s cannot be paid in %(count)s instalments of at least one cent."),
            code="schedule_too_fine",
            params={"amount": total, "count": len(dates)},
        )
    sequences = range(first_sequence, first_sequence + len(dates))
    amounts = split(total, {sequence: 1 for sequence in sequences})
    return [
        Instalment(grant=grant, sequence=sequence, due_date=day, amount=amounts[sequence])
        for sequence, day in zip(sequences, dates, strict=True)
    ]
