"""Calendar arithmetic shared by schedules (instalments, recurring costs) and reviews."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative), or that month's last day if it is shorter.

    31 January plus one month is 28 or 29 February; 29 February plus twelve
    months is 28 February of a common year.
    """
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
