"""Money arithmetic: the one rounding helper and the exact split.

Every rounding of money in the project goes through :func:`money_round`, and
every division of an amount into parts through :func:`split`, so that each
can be found, and the parts of an amount always sum back to it to the cent.
"""

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from typing import TypeVar

from babel.numbers import format_currency, format_percent
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _
from moneyed import Currency, Money, get_currency

from ledger.errors import SplitError

K = TypeVar("K", bound=Hashable)

Weight = Decimal | int


def currency_of(value: Money | Currency | str) -> Currency:
    if isinstance(value, Money):
        return value.currency
    if isinstance(value, Currency):
        return value
    return get_currency(value)


def minor_unit(currency: Money | Currency | str) -> Decimal:
    """The smallest amount of the currency: ``Decimal("0.01")`` for CAD."""
    return _minor_unit_of(currency_of(currency).sub_unit)


@cache
def _minor_unit_of(sub_unit: int) -> Decimal:
    """Asked for every line of every posting: worked out once per number of minor units in a unit."""
    exponent = len(str(sub_unit)) - 1 if sub_unit > 1 else 0
    return Decimal(1).scaleb(-exponent)


def is_whole_minor_units(value: Money) -> bool:
    """Whether ``value`` is a whole number of its own currency's minor units (cents for CAD)."""
    return value.amount == value.amount.quantize(minor_unit(value.currency))


@cache
def amount_limit(*, max_digits: int, decimal_places: int) -> Decimal:
    """The largest amount a money column of ``max_digits`` and ``decimal_places`` holds: 999 999 999 999,99.

    Kept once per column: every line posted and every amount imported is checked against it.
    """
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)


def fits_column(value: Money, *, max_digits: int, decimal_places: int) -> bool:
    """Whether ``value`` can be stored in such a column, so a service refuses it in words before the database does."""
    return abs(value.amount) <= amount_limit(max_digits=max_digits, decimal_places=decimal_places)


def money_round(amount: Decimal | int | Money, currency: Money | Currency | str) -> Money:
    """Round to the currency's minor unit, halves away from zero."""
    if isinstance(amount, Money):
        amount = amount.amount
    quantum = minor_unit(currency)
    return Money(Decimal(amount).quantize(quantum, rounding=ROUND_HALF_UP), currency_of(currency))


def _check_weights(weights: Mapping[K, Weight]) -> dict[K, Fraction]:
    if not weights:
        raise SplitError(_("There is nothing to split the amount between."), code="empty")
    exact: dict[K, Fraction] = {}
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, (Decimal, int)):
            raise SplitError(
                _("The weight of %(key)s must be a whole or decimal number, not %(weight)r."),
                code="weight_type",
                params={"key": key, "weight": weight},
            )
        if not Decimal(weight).is_finite():
            raise SplitError(_("The weight of %(key)s is not a number."), code="weight_nan", params={"key": key})
        if weight < 0:
            raise SplitError(
                _("The weight of %(key)s is negative (%(weight)s); weights must be zero or more."),
                code="negative_weight",
                params={"key": key, "weight": weight},
            )
        exact[key] = Fraction(weight)
    if not any(exact.values()):
        raise SplitError(_("Every weight is zero: the amount cannot be split."), code="zero_weights")
    return exact


def split(total: Money, weights: Mapping[K, Weight]) -> dict[K, Money]:
    """Split ``total`` in proportion to ``weights`` by the largest remainder.

    The parts sum exactly to ``total``; each part is its exact share rounded
    down or up to the minor unit; a zero weight gets zero. The minor units
    left over after rounding down go to the largest remainders, ties to the
    smaller key, so the result is deterministic. A negative total is split as
    its absolute value, then negated, so no part has the wrong sign.
    """
    exact_weights = _check_weights(weights)
    currency = total.currency
    unit = minor_unit(currency)
    units = total.amount / unit
    if units != units.to_integral_value():
        raise SplitError(
            _("%(total)s is not a whole number of cents and cannot be split exactly."),
            code="sub_unit_total",
            params={"total": total},
        )
    sign = -1 if units < 0 else 1
    units_to_share = abs(int(units))
    weight_sum = sum(exact_weights.values())

    floors: dict[K, int] = {}
    remainders: dict[K, Fraction] = {}
    for key, weight in exact_weights.items():
        share = units_to_share * weight / weight_sum
        floors[key] = share.numerator // share.denominator
        remainders[key] = share - floors[key]
    left_over = units_to_share - sum(floors.values())
    by_largest_remainder = sorted(exact_weights, key=lambda key: (-remainders[key], key))
    for key in by_largest_remainder[:left_over]:
        floors[key] += 1
    return {key: Money(sign * floors[key] * unit, currency) for key in weights}


def reader_locale(language: str | None = None) -> str:
    """Babel's locale for a language of the site: Québec's French, Canada's English.

    Babel's plain ``en`` writes ``CA$9,500.00``; Canada writes ``$9,500.00``.
    """
    language = (language or get_language() or "fr-ca").lower()
    if language.startswith("fr"):
        return "fr_CA"
    if language.startswith("en"):
        return "en_CA"
    return to_locale(language)


def money_format(value: Money) -> str:
    """The amount as a reader of the active language writes it: ``9 500,00 $``, ``$9,500.00``, ``US$9,500.00``."""
    return format_currency(value.amount, value.currency.code, locale=reader_locale())


def percent_text(fraction: Decimal) -> str:
    """The fraction as the reader writes the percentage: ``2,5 %`` in French, ``2.5%`` in English."""
    return format_percent(fraction, locale=reader_locale(), decimal_quantization=False)


def money_text_install() -> None:
    """Make ``str()`` of every amount :func:`money_format`.

    Messages built in code carry amounts as parameters (``%(total)s``) and
    django-money's admin writes a money field with ``str()``; py-moneyed
    would write ``CA$ 9500.00`` whatever the language, and django-money
    Babel's plain ``en`` (``CA$9,500.00``). Called once, when the ledger app
    is ready.
    """
    from djmoney.money import Money as ModelMoney

    Money.__str__ = money_format
    ModelMoney.__str__ = money_format
