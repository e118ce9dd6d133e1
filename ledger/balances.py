"""The balances the database keeps, checked against the entries they come from.

The database adds every posting's entries to its accounts' balances
(ledger/migrations/0011); this module is the one way to recompute them, for
the owner of the database alone: the application's role may not write them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction


@dataclass(frozen=True)
class BalanceDifference:
    """An account whose kept balance was not the sum of its entries."""

    account_id: int
    currency: str
    kept: Decimal
    summed: Decimal


def balances_rebuild() -> list[BalanceDifference]:
    """Recompute every account's kept balance from its entries; return the accounts that differed.

    Postings wait while it runs (it locks the entries against inserts), so
    what it compares and writes describes one state of the ledger. Run it as
    the database's owner (``manage.py ledger_balances_rebuild`` does).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT account_id, currency, kept, summed FROM ledger_balances_rebuild()")
        return [BalanceDifference(*row) for row in cursor.fetchall()]
