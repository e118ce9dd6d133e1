"""The days a schedule falls on and its amount on each: the 31st, 29 February, indexation on 1 April, amendments."""

from datetime import date
from decimal import Decimal
from itertools import islice

from moneyed import Money

from sharedcosts.recurring.models import Rhythm
from sharedcosts.recurring.timetable import amount_on, days_between, occurrence_days


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


def first_days(count: int, **schedule) -> list[date]:
    return list(islice(occurrence_days(**schedule), count))


def test_a_rent_on_the_31st_falls_on_the_last_day_of_a_shorter_month_and_comes_back_to_the_31st():
    assert first_days(6, rhythm=Rhythm.MONTHLY, start_date=date(2025, 12, 31)) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert first_days(3, rhythm=Rhythm.MONTHLY, start_date=date(2024, 1, 31))[1] == date(2024, 2, 29)


def test_a_quarterly_schedule_on_the_31st():
    assert first_days(4, rhythm=Rhythm.QUARTERLY, start_date=date(2025, 5, 31)) == [
        date(2025, 5, 31),
        date(2025, 8, 31),
        date(2025, 11, 30),
        date(2026, 2, 28),
    ]


def test_a_yearly_premium_on_29_february_falls_on_28_february_in_common_years():
    assert first_days(5, rhythm=Rhythm.YEARLY, start_date=date(2024, 2, 29)) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_the_days_stop_at_the_end_and_given_dates_keep_only_those_within_the_schedule():
    assert list(occurrence_days(rhythm=Rhythm.MONTHLY, start_date=date(2025, 4, 30), end_date=date(2025, 6, 29))) == [
        date(2025, 4, 30),
        date(2025, 5, 30),
    ]
    given = [date(2025, 9, 1), date(2025, 5, 1), date(2026, 5, 1)]
    assert list(
        occurrence_days(rhythm=Rhythm.DATES, start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), dates=given)
    ) == [date(2025, 5, 1), date(2025, 9, 1)]


def test_the_days_between_two_dates_both_included():
    assert days_between(
        rhythm=Rhythm.MONTHLY,
        start_date=date(2025, 1, 31),
        end_date=None,
        dates=[],
        first=date(2025, 2, 28),
        last=date(2025, 4, 30),
    ) == [date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]


def test_indexation_on_each_1_april_after_the_start_compounded_and_rounded_each_year():
    def on(day: date) -> Money:
        return amount_on(day=day, first_amount=cad("1000.00"), start_date=date(2025, 1, 15), indexation_rate=Decimal("0.025"))

    assert on(date(2025, 3, 31)) == cad("1000.00")
    assert on(date(2025, 4, 1)) == cad("1025.00")
    assert on(date(2026, 3, 31)) == cad("1025.00")
    assert on(date(2026, 4, 1)) == cad("1050.63")  # 1 050,625 rounded half up
    assert on(date(2027, 4, 1)) == cad("1076.90")  # 1 050,63 × 1,025 = 1 076,895 75


def test_a_schedule_starting_on_1_april_is_first_indexed_a_year_later():
    def on(day: date) -> Money:
        return amount_on(day=day, first_amount=cad("800.00"), start_date=date(2025, 4, 1), indexation_rate=Decimal("0.03"))

    assert on(date(2025, 4, 1)) == cad("800.00")
    assert on(date(2026, 3, 31)) == cad("800.00")
    assert on(date(2026, 4, 1)) == cad("824.00")


def test_an_amendment_applies_from_its_date_and_later_indexations_build_on_it():
    def on(day: date) -> Money:
        return amount_on(
            day=day,
            first_amount=cad("1000.00"),
            start_date=date(2025, 1, 15),
            amendments=[(date(2026, 4, 1), cad("1100.00")), (date(2025, 9, 1), cad("1200.00"))],
            indexation_rate=Decimal("0.025"),
        )

    assert on(date(2025, 8, 31)) == cad("1025.00")
    assert on(date(2025, 9, 1)) == cad("1200.00")
    assert on(date(2026, 3, 31)) == cad("1200.00")
    # An amendment on 1 April is the amount of that day; the next indexation is a year later.
    assert on(date(2026, 4, 1)) == cad("1100.00")
    assert on(date(2027, 4, 1)) == cad("1127.50")


def test_without_indexation_the_amount_stays():
    assert amount_on(day=date(2030, 6, 1), first_amount=cad("12.34"), start_date=date(2025, 1, 1)) == cad("12.34")
