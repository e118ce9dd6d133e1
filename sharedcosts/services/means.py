"""Each party's means, declared with a date and a source, and which of them a pool reads."""

from collections.abc import Iterable
from datetime import date as date_type
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ledger.models import Party
from ledger.money import amount_limit
from sharedcosts.errors import MeansError
from sharedcosts.models import CostPool, Measure, MeansDeclaration
from sharedcosts.services.pools import staff_check

MEANS_VALUE = MeansDeclaration._meta.get_field("value")
MEANS_LIMIT = amount_limit(max_digits=MEANS_VALUE.max_digits, decimal_places=MEANS_VALUE.decimal_places)


def means_declare(
    *,
    party: Party,
    value: Decimal,
    as_of: date_type,
    source: str,
    measure: str = Measure.ANNUAL_BUDGET,
    measure_name: str = "",
    document: Any = None,
    declared_by: AbstractBaseUser | None,
) -> MeansDeclaration:
    """Record a party's means as of a date, as finance staff read them; means are never negative."""
    staff_check(declared_by, error=MeansError)
    if not isinstance(value, (Decimal, int)) or isinstance(value, bool) or not Decimal(value).is_finite():
        raise MeansError(_("The means must be a decimal number, not %(value)r."), code="invalid_means", params={"value": value})
    if value < 0:
        raise MeansError(
            _("The means of %(party)s cannot be negative: %(value)s."),
            code="negative_means",
            params={"party": party.name, "value": value},
        )
    if value > MEANS_LIMIT:
        raise MeansError(
            _("The means of %(party)s are more than the books can hold (at most %(limit)s)."),
            code="amount_too_large",
            params={"party": party.name, "limit": number_format(MEANS_LIMIT, decimal_pos=2, force_grouping=True)},
        )
    if not source.strip():
        raise MeansError(_("Say where the figure comes from."), code="missing_source")
    declaration = MeansDeclaration(
        party=party, value=value, as_of=as_of, source=source, measure=measure, measure_name=measure_name
    )
    if document is not None:
        declaration.document = document
    declaration.save()
    return declaration


def means_latest(*, pool: CostPool, declarations: Iterable[MeansDeclaration]) -> dict[int, MeansDeclaration]:
    """Per party, the latest declaration of the pool's measure on or before the pool starts.

    ``declarations`` come newest first for each party; they may hold other
    measures and later dates, which are passed over, so that a reader of
    several pools can read the parties' declarations once for all of them.
    """
    latest: dict[int, MeansDeclaration] = {}
    for declaration in declarations:
        if declaration.measure != pool.measure or declaration.as_of > pool.start_date:
            continue
        if pool.measure == Measure.OTHER and declaration.measure_name != pool.measure_name:
            continue
        latest.setdefault(declaration.party_id, declaration)
    return latest
