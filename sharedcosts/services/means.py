"""Each party's means, declared with a date and a source, and which of them a pool reads."""

from collections.abc import Iterable
from datetime import date as date_type
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from ledger.models import Party
from ledger.words import de_name
from ledger.money import amount_limit
from sharedcosts.errors import MeansError
from sharedcosts.models import CostPool, Measure, MeansDeclaration
from sharedcosts.services.pools import staff_check

MEANS_VALUE = MeansDeclaration._meta.get_field("value")
MEANS_LIMIT = amount_limit(max_digits=MEANS_VALUE.max_digits, decimal_places=MEANS_VALUE.decimal_places)
MEANS_QUANTUM = Decimal(1).scaleb(-MEANS_VALUE.decimal_places)
# What a declaration read again from a file may correct; its document and the moment it was declared stay.
MEANS_FIELDS = ["party", "measure", "measure_name", "value", "as_of", "source"]


def means_refusals(*, party: Party, value: Any, source: str) -> dict[str, MeansError]:
    """Why these means would be refused, by the field at fault; empty when they can be recorded.

    The one set of rules of a declaration, whether :func:`means_declare`
    records it or :func:`means_record` with many others (an import): a
    decimal number, never negative, that its column holds to the cent, and
    the source it was read from.
    """
    refusals = {}
    if not isinstance(value, (Decimal, int)) or isinstance(value, bool) or not Decimal(value).is_finite():
        refusals["value"] = MeansError(
            _("The means must be a decimal number, not %(value)r."), code="invalid_means", params={"value": value}
        )
    elif value < 0:
        refusals["value"] = MeansError(
            _("The means of %(of_party)s cannot be negative: %(value)s."),
            code="negative_means",
            params={"of_party": de_name(party.name), "value": number_format(value, decimal_pos=2, force_grouping=True)},
        )
    elif value > MEANS_LIMIT:
        refusals["value"] = MeansError(
            _("The means of %(of_party)s are more than the books can hold (at most %(limit)s)."),
            code="amount_too_large",
            params={"of_party": de_name(party.name), "limit": number_format(MEANS_LIMIT, decimal_pos=2, force_grouping=True)},
        )
    elif Decimal(value) != Decimal(value).quantize(MEANS_QUANTUM):
        refusals["value"] = MeansError(
            _("The means of %(of_party)s are counted to the cent, not %(value)s."),
            code="sub_cent_means",
            params={"of_party": de_name(party.name), "value": number_format(value, force_grouping=True)},
        )
    if not source.strip():
        refusals["source"] = MeansError(_("Say where the figure comes from."), code="missing_source")
    return refusals


def _refuse(refusals: dict[str, MeansError]) -> None:
    if refusals:
        raise next(iter(refusals.values()))


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
    _refuse(means_refusals(party=party, value=value, source=source))
    declaration = MeansDeclaration(
        party=party, value=value, as_of=as_of, source=source, measure=measure, measure_name=measure_name
    )
    if document is not None:
        declaration.document = document
    declaration._history_user = declared_by  # its history names who declared it, as for declarations imported
    declaration.save()
    return declaration


def means_record(*, declarations: list[MeansDeclaration], declared_by: AbstractBaseUser | None) -> list[MeansDeclaration]:
    """Record many declarations at once, each checked as :func:`means_declare` checks one; all or nothing.

    A declaration already saved (an import read it again with another
    value) is corrected in place, its history keeping what it said before.
    The history of each names ``declared_by``. Returns the declarations.
    """
    staff_check(declared_by, error=MeansError)
    for declaration in declarations:
        _refuse(means_refusals(party=declaration.party, value=declaration.value, source=declaration.source))
    new = [declaration for declaration in declarations if declaration.pk is None]
    corrected = [declaration for declaration in declarations if declaration.pk is not None]
    with transaction.atomic():
        if new:
            MeansDeclaration.objects.bulk_create(new, batch_size=1000)
            _history_begin(declarations=new, declared_by=declared_by)
        if corrected:
            bulk_update_with_history(corrected, MeansDeclaration, MEANS_FIELDS, batch_size=1000, default_user=declared_by)
    return declarations


def _history_begin(*, declarations: list[MeansDeclaration], declared_by: AbstractBaseUser) -> None:
    """Write each new declaration's first history row, as its ``save()`` would, in one statement.

    The database copies the rows just inserted: building a historical
    instance a declaration in Python (simple-history's bulk helper) took as
    long as the rest of an import of 10,000 declarations.
    """
    history = MeansDeclaration.history.model
    quote = connection.ops.quote_name
    copied = ", ".join(quote(field.column) for field in MeansDeclaration._meta.concrete_fields)
    stamped = ", ".join(quote(history._meta.get_field(name).column) for name in ("history_date", "history_type", "history_user"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({copied}, {stamped})"
            f" SELECT {copied}, %s, '+', %s FROM {quote(MeansDeclaration._meta.db_table)} WHERE {quote('id')} = ANY(%s)",
            [timezone.now(), declared_by.pk, [declaration.pk for declaration in declarations]],
        )


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
