"""Names sort as a French reader looks them up: "Carrefour", "Cégep", "Centre", "CISSS".

The database's own collation is ``C.UTF-8`` (config/local_postgres.py), which
sorts by code point: every capital before every small letter ("CISSS" before
"Carrefour") and "é" after "z" ("Cégep" after "Centre"). The collation
``names``, ICU's French of Canada, sorts letters first, then accents, then
case, and stays deterministic (two different names never compare equal), so
the unique constraints on names keep working. The columns people sort lists
by take it: a party's name, a pool's, a programme's, a grant's title.

A PostgreSQL built without ICU (the embedded server of ``make run`` when the
machine has no PostgreSQL of its own) gets ``names`` as a copy of ``C``: the
columns and the migrations are the same everywhere, and such a server sorts
as before.
"""

from django.db import migrations, models

CREATE = """
DO $$
BEGIN
    CREATE COLLATION IF NOT EXISTS names (provider = icu, locale = 'fr-CA');
EXCEPTION WHEN feature_not_supported THEN
    CREATE COLLATION IF NOT EXISTS names FROM "C";
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0015_movements_kept_by_the_database")]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP COLLATION IF EXISTS names;"),
        migrations.AlterField(
            model_name="party",
            name="name",
            field=models.CharField(db_collation="names", max_length=200, unique=True, verbose_name="name"),
        ),
    ]
