"""The ImportJob model leaves the ledger for the spreadsheets app, with its rows.

Only Django's picture of the models changes: the table ``ledger_importjob``
and every row in it stay where they are, and ``spreadsheets`` takes the model
up under the same table name (its migration 0001).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0006_importjob"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
