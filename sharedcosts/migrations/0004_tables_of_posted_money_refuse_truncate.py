"""The shared-cost tables that record posted money refuse TRUNCATE, as the ledger's do.

Their row triggers (0003) do not fire on TRUNCATE, and ``TRUNCATE
sharedcosts_expense`` would forget which transaction posted each invoice.
The statement triggers reuse the ledger's ``ledger_refuse_truncate()``, so
the test suite's flush (run by the owner with ``aire_ouverte.flush`` on,
``ledger/management/commands/flush.py``) is still the one exception.
"""

from django.db import migrations

TABLES = ("sharedcosts_expense", "sharedcosts_inkindcontribution", "sharedcosts_allocation", "sharedcosts_allocationshare")

FORWARD = "\n".join(
    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();"
    for table in TABLES
)

BACKWARD = "\n".join(f"DROP TRIGGER {table}_no_truncate ON {table};" for table in reversed(TABLES))


class Migration(migrations.Migration):
    dependencies = [
        ("sharedcosts", "0003_posted_allocations_are_immutable"),
        ("ledger", "0008_guarantees_against_every_role"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
