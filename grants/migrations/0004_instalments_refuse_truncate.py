"""Instalments refuse TRUNCATE, as the ledger's transactions and entries do.

An instalment carries the exactly-once key to its payment (its
``transaction``): emptying the table, alone or by ``TRUNCATE grants_grant
CASCADE``, would forget which instalments were paid, and the daily run
would be free to pay them again. Row triggers do not fire on TRUNCATE, so
a statement trigger refuses it, with the ledger's own function (the test
suite's flush, run by the owner with ``aire_ouverte.flush`` on, still
empties it).
"""

from django.db import migrations

FORWARD = """
CREATE TRIGGER grants_instalment_no_truncate BEFORE TRUNCATE ON grants_instalment
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
"""

BACKWARD = "DROP TRIGGER grants_instalment_no_truncate ON grants_instalment;"


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0003_historicalgrant_historicalinstalment"),
        ("ledger", "0008_guarantees_against_every_role"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
