"""The checks every amount of the grants app passes before it is written: whole cents, and room in its column.

An amount wider than its column would otherwise reach PostgreSQL and come
back as a raw ``DataError``; each service refuses it first, in words that
name the limit. The limit is read from the model field the amount goes
into, so a migration that widens a column widens the check with it.
"""

from django.db.models import Field
from django.utils.translation import gettext as _
from moneyed import Money

from grants.errors import GrantError
from ledger.money import amount_limit, fits_column, is_whole_minor_units, money_format


def amount_check_cents(*, amount: Money) -> None:
    """Refuse an amount that is not a whole number of cents: an envelope, a grant, a budget line."""
    if not is_whole_minor_units(amount):
        raise GrantError(
            _("%(amount)s is not a whole number of cents."), code="sub_unit_amount", params={"amount": amount}
        )


def amount_check_fits(*, amount: Money, field: Field, error: type[GrantError] = GrantError) -> None:
    """Refuse an amount that ``field``'s column cannot hold, naming the largest it can.

    Run it before :func:`amount_check_cents`: rounding an amount of hundreds
    of digits to the cent raises instead of answering.
    """
    if not fits_column(amount, max_digits=field.max_digits, decimal_places=field.decimal_places):
        limit = amount_limit(max_digits=field.max_digits, decimal_places=field.decimal_places)
        # The limit alone is named: an amount of hundreds of digits cannot even be formatted.
        raise error(
            _("An amount is more than the books can hold: at most %(limit)s."),
            code="amount_too_large",
            params={"limit": money_format(Money(limit, amount.currency))},
        )
