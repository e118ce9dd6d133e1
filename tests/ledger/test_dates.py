"""Dates in words: the first of the month as Québec writes it, moments on the local clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from ledger.dates import date_words, datetime_words


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fr-ca", date(2026, 4, 1), "1er avril 2026"),
        ("fr-ca", date(2026, 4, 11), "11 avril 2026"),
        ("fr-ca", date(2026, 4, 21), "21 avril 2026"),
        ("en", date(2026, 4, 1), "April 1, 2026"),
        ("fr-ca", None, ""),
    ],
)
def test_date_words_writes_the_first_of_the_month_as_quebec_does(language, value, expected):
    with translation.override(language):
        assert date_words(value) == expected


def test_datetime_words_reads_a_utc_moment_on_the_local_clock():
    moment = datetime(2026, 4, 2, 0, 25, tzinfo=ZoneInfo("UTC"))  # 1er avril, 20 h 25 in Montréal
    with translation.override("fr-ca"):
        assert datetime_words(moment) == "1er avril 2026, 20\xa0h\xa025"
        assert date_words(moment) == "1er avril 2026"
    with translation.override("en"):
        assert datetime_words(moment) == "April 1, 2026, 8:25 p.m."


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-ca", "1er avril 2026 · 11 avril 2026"), ("en", "April 1, 2026 · April 11, 2026")],
)
def test_django_s_own_dates_write_the_first_of_the_month_as_quebec_does(language, expected):
    """The admin's date fields and lists (``formats.localize``) and ``{{ day }}`` in a template."""
    from django.contrib.admin.utils import display_for_value
    from django.template import Context, Template

    with translation.override(language):
        assert f"{display_for_value(date(2026, 4, 1), '')} · {display_for_value(date(2026, 4, 11), '')}" == expected
        assert Template("{{ first }} · {{ other }}").render(Context({"first": date(2026, 4, 1), "other": date(2026, 4, 11)})) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr-ca", ["1er novembre", "11 novembre", "1er novembre 2026"]), ("en", ["November 1", "November 11", "November 1, 2026"])],
)
def test_the_drill_down_of_a_list_and_the_date_filter_write_the_first_of_the_month_as_quebec_does(language, expected):
    """The admin lists' date hierarchy writes each day with ``formats.date_format``; so does ``{{ day|date }}``."""
    from django.template import Context, Template
    from django.utils import formats

    with translation.override(language):
        days = [formats.date_format(date(2026, 11, day), "MONTH_DAY_FORMAT") for day in (1, 11)]
        written = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": date(2026, 11, 1)}))
        assert [*days, written] == expected


def test_a_time_on_the_first_of_the_month_is_left_as_it_is():
    from django.utils import formats

    with translation.override("fr-ca"):
        assert formats.date_format(datetime(2026, 11, 1, 1, 5), "TIME_FORMAT") == "1\xa0h\xa005"
