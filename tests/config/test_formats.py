"""Dates, times, numbers and file sizes as the project writes them (config/formats)."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format, number_format, time_format


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-ca", "20\xa0h\xa025"), ("en", "8:25 p.m.")],
)
def test_a_time_reads_with_its_hour_and_minutes(language, expected):
    with translation.override(language):
        assert time_format(time(20, 25), "TIME_FORMAT") == expected


def test_a_morning_time_in_french_has_no_leading_zero_and_two_minute_digits():
    with translation.override("fr-ca"):
        assert time_format(time(8, 5), "TIME_FORMAT") == "8\xa0h\xa005"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-ca", "27 décembre 2026, 20\xa0h\xa025"), ("en", "December 27, 2026, 8:25 p.m.")],
)
def test_a_moment_reads_in_one_long_style(language, expected):
    with translation.override(language):
        moment = datetime(2026, 12, 27, 20, 25)
        assert date_format(moment, "DATETIME_FORMAT") == expected
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-ca", "3 janvier 2028"), ("en", "January 3, 2028")],
)
def test_short_and_long_dates_are_the_same_style(language, expected):
    with translation.override(language):
        assert date_format(date(2028, 1, 3), "DATE_FORMAT") == expected
        assert date_format(date(2028, 1, 3), "SHORT_DATE_FORMAT") == expected


@pytest.mark.parametrize(("language", "expected"), [("fr-ca", "1,65"), ("en", "1.65")])
def test_decimal_numbers_use_the_readers_mark(language, expected):
    with translation.override(language):
        assert number_format(Decimal("1.65"), 2) == expected
