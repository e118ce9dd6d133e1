from datetime import date
from decimal import Decimal

import pytest

from ledger.models import Entry, Transaction
from sharedcosts.models import Expense
from sharedcosts.recurring.models import RecurringAmendment, RecurringExpense, RecurringOccurrence, Rhythm
from sharedcosts.recurring.services import recurring_create

from ..conftest import cad


@pytest.fixture
def make_schedule(joined, party, finance_user):
    """A schedule of the pool ``joined`` paid by ``party``: a monthly rent of 1 000,00 $ from 30 April 2025 unless told."""

    def make(**overrides) -> RecurringExpense:
        arguments = {
            "pool": joined,
            "payer": party,
            "vendor": "Immeubles Labelle inc.",
            "amount": cad("1000.00"),
            "rhythm": Rhythm.MONTHLY,
            "start_date": date(2025, 4, 30),
            "created_by": finance_user,
        }
        arguments.update(overrides)
        if isinstance(arguments["amount"], str):
            arguments["amount"] = cad(arguments["amount"])
        if isinstance(arguments.get("indexation_rate"), str):
            arguments["indexation_rate"] = Decimal(arguments["indexation_rate"])
        return recurring_create(**arguments)

    return make


def occurrences(schedule: RecurringExpense) -> list[tuple[date, object, str]]:
    return [(o.date, o.amount, o.status) for o in schedule.occurrences.order_by("date")]


def written() -> tuple[int, ...]:
    return (
        RecurringExpense.objects.count(),
        RecurringAmendment.objects.count(),
        RecurringOccurrence.objects.count(),
        Expense.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
    )
