"""Numbers of the review as a reader of the active language writes them.

The same text as :func:`ledger.money.money_format` and Babel's helpers; the
symbols and the currency's place are read from Babel once per language and
currency, then each number is written by Python's own formatting: a review
of 500 parties writes tens of thousands of numbers.
"""

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from django.utils.translation import get_language
from moneyed import Money

from ledger.money import reader_locale
from sharedcosts.fairness import ratio_rounded


@lru_cache(maxsize=8)
def _symbols(language: str) -> tuple[str, str]:
    sample = format_decimal(Decimal("1234.5"), format="#,##0.0", locale=Locale.parse(reader_locale(language)))
    return sample[1], sample[-2]  # the group and decimal separators


@lru_cache(maxsize=32)
def _currency(language: str, code: str) -> tuple[str, str, int]:
    sample = format_currency(Decimal("1111.11"), code, locale=Locale.parse(reader_locale(language)))
    first, last = sample.index("1"), sample.rindex("1")
    digits = sample[first : last + 1]
    places = len(digits) - digits.rindex(_symbols(language)[1]) - 1 if _symbols(language)[1] in digits else 0
    return sample[:first], sample[last + 1 :], places


@lru_cache(maxsize=8)
def _percent_sign(language: str) -> str:
    """What follows a percentage: ``\u00a0%`` in French, ``%`` in English."""
    return format_percent(Decimal("0.5"), locale=Locale.parse(reader_locale(language)))[2:]


def _language() -> str:
    return get_language() or "fr-ca"


def _write(value: Decimal, places: int, language: str) -> str:
    group, decimal = _symbols(language)
    return f"{value:,.{places}f}".replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def percent(value: Decimal | None) -> str:
    """A share as a percentage to the tenth: ``8,3 %`` in French, ``8.3%`` in English."""
    if value is None:
        return "—"
    language = _language()
    return _write(value * 100, 1, language) + _percent_sign(language)


def ratio(value: Decimal | None) -> str:
    """An effort ratio rounded as every page rounds it (:func:`sharedcosts.fairness.ratio_rounded`)."""
    return "—" if value is None else _write(ratio_rounded(value), 2, _language())


def money(value: Money | None) -> str:
    if value is None:
        return "—"
    language = _language()
    prefix, suffix, places = _currency(language, value.currency.code)
    amount = value.amount
    sign = "-" if amount < 0 and round(amount, places) != 0 else ""
    return f"{sign}{prefix}{_write(abs(amount), places, language)}{suffix}"


def number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    language = _language()
    places = 0 if value == value.to_integral_value() else 2
    return _write(value, places, language)
