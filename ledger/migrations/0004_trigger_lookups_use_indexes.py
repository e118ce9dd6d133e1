"""The triggers' lookups always go through their indexes.

PL/pgSQL caches the plans of a trigger function's queries. Planned while the
ledger was small (a new database, or right after ANALYZE of an empty table),
a lookup by transaction or account id becomes a sequential scan that is kept
as the table grows, and posting slows down with every entry. Each of these
functions reads a handful of rows by key, so an index scan is always right.
"""

from django.db import migrations

FUNCTIONS = [
    "ledger_check_balanced(bigint)",
    "ledger_entry_matches()",
    "ledger_account_keeps_currency()",
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_account_currency_label")]

    operations = [
        migrations.RunSQL(
            [f"ALTER FUNCTION {function} SET enable_seqscan = off" for function in FUNCTIONS],
            [f"ALTER FUNCTION {function} RESET enable_seqscan" for function in FUNCTIONS],
            elidable=False,
        )
    ]
