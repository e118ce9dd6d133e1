"""Benchmarks, one script per measured capability, and what some of them share.

Each script makes a throw-away database on the server ``DATABASE_URL``
names, as the test suite does: created and migrated by the owner role
(``DATABASE_OWNER_URL``) when there is one, timed as the application role,
which may only read and write rows, as production runs.
"""

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A new database, migrated by the owner and used as the application role inside the block; dropped after."""
    from django.db import connection

    from config.database_roles import application_credentials, credentials_switch, owner_credentials

    owner = owner_credentials()
    application = application_credentials()
    if owner is not None:
        credentials_switch("default", owner)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        credentials_switch("default", application)
        yield
    finally:
        if owner is not None:
            credentials_switch("default", owner)
        connection.creation.destroy_test_db(old_name, verbosity=0)


@contextmanager
def ledger_bulk_load() -> Iterator[object]:
    """A database transaction of the owner to load made-up history into the ledger; yields a cursor.

    The rows are balanced by construction, so the triggers that check each
    transaction (its period, its balance at commit) are off inside it; they
    are on again before it commits, so no other session ever sees them off.
    The entries' statement trigger stays on: it checks the entries and keeps
    the accounts' balances, as for any posting.
    """
    from django.db import connection, transaction

    from config.database_roles import as_owner

    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE ledger_transaction DISABLE TRIGGER ledger_transaction_balanced,"
            " DISABLE TRIGGER ledger_transaction_period"
        )
        yield cursor
        # Django's foreign keys are checked at commit; a table with checks pending cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE ledger_transaction ENABLE TRIGGER ledger_transaction_balanced,"
            " ENABLE TRIGGER ledger_transaction_period"
        )
