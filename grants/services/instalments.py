"""What becomes of an instalment, written in one place.

Once planned, an instalment is paid, fails (tried again the next day), is
held while its grant owes a report, released, cancelled with its grant, or
its payment is reversed. :func:`instalments_record` writes each of these
outcomes, for the daily run's hundreds at once as for one instalment paid
by hand: one ``UPDATE`` for all of them and one ``INSERT`` of their history
rows (:func:`grants.history.history_record`), so the audit trail shows who
changed what and when, whatever the path.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils import timezone

from grants.history import history_record
from grants.holds import HoldReason
from grants.models import Grant, Instalment, InstalmentStatus
from grants.notifications import instalments_changed_notify
from ledger.models import Transaction

UNPAID = (InstalmentStatus.SCHEDULED, InstalmentStatus.HELD, InstalmentStatus.FAILED)
"""Instalments that still owe money: a re-plan replaces them, a cancellation cancels them."""

DUE = (InstalmentStatus.SCHEDULED, InstalmentStatus.FAILED)
"""Instalments the daily run pays once their day has come (a failure is tried again the next day)."""

OUTCOME_FIELDS = ["status", "hold_code", "hold_params", "hold_reason", "failure_reason", "transaction", "paid_at"]
OUTCOME_TYPES = ["varchar", "varchar", "jsonb", "varchar", "varchar", "bigint", "timestamptz"]


@dataclass(frozen=True)
class Outcome:
    """What became of an instalment: its new status, why it waits or failed, the payment that settled it."""

    status: InstalmentStatus
    reason: str = ""
    payment: Transaction | None = None
    hold: HoldReason | None = None

    @classmethod
    def paid(cls, payment: Transaction) -> "Outcome":
        return cls(InstalmentStatus.PAID, payment=payment)

    @classmethod
    def held(cls, hold: HoldReason) -> "Outcome":
        return cls(InstalmentStatus.HELD, hold=hold)

    @classmethod
    def failed(cls, reason: str) -> "Outcome":
        return cls(InstalmentStatus.FAILED, reason=reason)


def instalments_record(
    *, outcomes: Sequence[tuple[Instalment, Outcome]], recorded_by: AbstractBaseUser | None = None
) -> None:
    """Record what became of each instalment, with one history row each.

    A held instalment keeps only its hold reason and a failed one only its
    failure; a payment is kept with the time it was recorded, and stays when
    the payment is reversed. Without ``recorded_by`` the history names the
    person of the request, if any (the daily run has none).
    """
    if not outcomes:
        return
    now = timezone.now()
    previous = {instalment.pk: instalment.status for instalment, _outcome in outcomes}
    instalments = []
    for instalment, outcome in outcomes:
        instalment.status = outcome.status
        hold = outcome.hold if outcome.status == InstalmentStatus.HELD else None
        instalment.hold_code = hold.code if hold else ""
        instalment.hold_params = dict(hold.params) if hold else {}
        instalment.hold_reason = hold.words[:500] if hold else ""
        instalment.failure_reason = outcome.reason[:1000] if outcome.status == InstalmentStatus.FAILED else ""
        if outcome.payment is not None:
            instalment.transaction = outcome.payment
            instalment.paid_at = now
        instalments.append(instalment)
    _outcomes_write(instalments)
    history_record(model=Instalment, ids=[instalment.pk for instalment in instalments], at=now, changed_by=recorded_by)
    instalments_changed_notify(instalments=instalments, previous=previous, at=now)


def _outcomes_write(instalments: list[Instalment]) -> None:
    """One ``UPDATE ... FROM unnest(arrays)`` for all the instalments.

    Django's ``bulk_update`` builds a ``CASE`` per field and row and costs
    more in Python than the daily run's postings themselves. A field that
    every instalment takes the same value of (the status and the cleared
    reasons of a run's payments) is sent once rather than as an array.
    """
    quote = connection.ops.quote_name
    assignments, arrays, names, params, array_params = [], ["%s::bigint[]"], [quote("id")], [], []
    for name, kind in zip(OUTCOME_FIELDS, OUTCOME_TYPES, strict=True):
        field = Instalment._meta.get_field(name)
        column = quote(field.column)
        values = [getattr(instalment, field.attname) for instalment in instalments]
        if all(value == values[0] for value in values):
            assignments.append(f"{column} = %s::{kind}")
            params.append(field.get_db_prep_save(values[0], connection))
        else:
            assignments.append(f"{column} = v.{column}")
            arrays.append(f"%s::{kind}[]")
            names.append(column)
            array_params.append([field.get_db_prep_save(value, connection) for value in values])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Instalment._meta.db_table)} AS i SET {', '.join(assignments)} "
            f"FROM unnest({', '.join(arrays)}) AS v({', '.join(names)}) WHERE i.{quote('id')} = v.{quote('id')}",
            [*params, [instalment.pk for instalment in instalments], *array_params],
        )


def instalments_hold(*, grant: Grant, reason: HoldReason) -> int:
    """Hold the grant's unpaid instalments with a reason shown to staff and partners; the number held."""
    due = list(grant.instalments.filter(status__in=DUE))
    instalments_record(outcomes=[(instalment, Outcome.held(reason)) for instalment in due])
    return len(due)


def grant_holds_release(*, grant: Grant) -> int:
    """Release the grant's held instalments (a report was accepted): the next run pays those due."""
    held = list(grant.instalments.filter(status=InstalmentStatus.HELD))
    instalments_record(outcomes=[(instalment, Outcome(InstalmentStatus.SCHEDULED)) for instalment in held])
    return len(held)
