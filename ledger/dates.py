"""Calendar arithmetic shared by schedules (instalments, recurring costs) and reviews, and dates in words."""

import calendar
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative), or that month's last day if it is shorter.

    31 January plus one month is 28 or 29 February; 29 February plus twelve
    months is 28 February of a common year.
    """
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _first_of_month(text: str, day: date) -> str:
    """Québec writes the first of the month ``1er avril``; Django's format characters can only write ``1 avril``."""
    if day.day == 1 and (get_language() or "fr").startswith("fr") and text.startswith("1 "):
        return "1er" + text[1:]
    return text


def date_words(value: date | datetime | None) -> str:
    """``1er avril 2026``, ``27 décembre 2026``, ``December 27, 2026``; a moment is read on the local clock."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _first_of_month(date_format(value, "DATE_FORMAT"), value)


def datetime_words(value: datetime | None) -> str:
    """``1er avril 2026, 20 h 25``, ``April 1, 2026, 8:25 p.m.``, on the local clock."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return _first_of_month(date_format(value, "DATETIME_FORMAT"), value)


def date_text_install() -> None:
    """Make Django's own localized dates write the first of the month ``1er``.

    The admin writes a date field, in its lists and its forms, with
    ``formats.localize``, as a template does ``{{ day }}``: ``1 avril 2026``;
    its lists' date drill-down writes each day with ``formats.date_format``
    (``1 novembre``), as the ``date`` filter does. All then read ``1er``, as
    :func:`date_words` writes it; a format that does not open with the day
    (a time: ``1 h 05``) is left as it is. Called once, when the ledger app
    is ready.
    """
    from django.template import base
    from django.utils import formats

    plain_date_format = formats.date_format

    def date_format(value, format=None, use_l10n: bool | None = None):
        text = plain_date_format(value, format, use_l10n=use_l10n)
        pattern = formats.get_format(format or "DATE_FORMAT", use_l10n=use_l10n)
        if isinstance(value, date) and pattern.startswith("j "):
            return _first_of_month(text, value)
        return text

    formats.date_format = date_format
    plain = formats.localize

    def localize(value, use_l10n: bool | None = None):
        text = plain(value, use_l10n=use_l10n)
        if isinstance(value, date) and isinstance(text, str):
            return _first_of_month(text, value)
        return text

    formats.localize = localize
    base.localize = localize
