"""The balances and movements the database keeps, checked against the entries they come from.

The database adds every posting's entries to its accounts' balances
(ledger/migrations/0013) and to their movements of each day and each fiscal
year (ledger/migrations/0015); this module is the one way to recompute them,
for the owner of the database alone: the application's role may not write them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction


@dataclass(frozen=True)
class BalanceDifference:
    """An account whose kept balance, or movement of a year or of a day, was not the sum of its entries.

    ``start_year`` and ``day`` are both None for the balance, ``day`` alone
    for a year's movement.
    """

    account_id: int
    currency: str
    start_year: int | None
    day: date | None
    kept: Decimal
    summed: Decimal


def balances_rebuild() -> list[BalanceDifference]:
    """Recompute every account's kept balance and movements from its entries; return what differed.

    Postings wait while it runs (it locks the entries against inserts), so
    what it compares and writes describes one state of the ledger. Run it as
    the database's owner (``manage.py ledger_balances_rebuild`` does).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT account_id, currency, start_year, day, kept, summed FROM ledger_balances_rebuild()")
        return [BalanceDifference(*row) for row in cursor.fetchall()]
