"""Fixtures of the ledger tests: movements posted by the grants and the shared costs, whose lines they write."""

from datetime import date

import pytest

from grants.services import disbursements_post_due
from ledger.models import TransactionKind
from ledger.services import Line, transaction_post, transaction_reverse
from sharedcosts.models import Expense, Participation
from sharedcosts.services import expense_post

from ..grants.conftest import RUN_DAY, cad, make_grant, programme  # noqa: F401  (fixtures)
from ..sharedcosts.conftest import pool  # noqa: F401  (fixture)

A = "Maison des jeunes de Saint-Jérôme"


@pytest.fixture
def movements(party, pool, make_grant, finance_user, administrator):  # noqa: F811
    """A grant's first instalment paid, an expense of a pool and its reversal, a typed adjustment, a silent one.

    Posted in French, as the tests run: each memo is stored in French.
    """
    grant = make_grant()
    disbursements_post_due(today=RUN_DAY)
    Participation.objects.create(pool=pool, party=party)
    expense = expense_post(
        expense=Expense.objects.create(pool=pool, payer=party, vendor="Loyer", date=date(2025, 6, 1), amount=cad("900.00")),
        posted_by=finance_user,
    )
    reversal, _created = transaction_reverse(original=expense.transaction, date=date(2025, 6, 2), posted_by=administrator)
    position = expense.transaction.entries.get(account__party=party).account
    received = grant.instalments.get(sequence=1).transaction.entries.get(account__party=party).account
    typed, silent = (
        transaction_post(
            lines=[Line(position, cad("-5.00")), Line(received, cad("5.00"))],
            date=date(2025, 6, 3), kind=TransactionKind.ADJUSTMENT, memo=memo, idempotency_key=f"adjustment:{memo or 0}",
        )[0]
        for memo in ("Correction saisie à la main", "")
    )
    return {
        "instalment": grant.instalments.get(sequence=1).transaction,
        "expense": expense.transaction,
        "reversal": reversal,
        "typed": typed,
        "silent": silent,
    }
