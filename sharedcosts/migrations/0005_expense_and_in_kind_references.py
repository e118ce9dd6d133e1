"""Expenses and in-kind contributions get a reference of their own, a UUID that names them in any database.

An expense an import posted keeps the name its row gave it: its reference is
read from its posting's key (``import:expense:<hash of the row>``), as an
import of the same row computes it today, so re-importing an old file
recognises its rows. Every other row gets a new UUID.
"""

import uuid

from django.db import migrations, models

IMPORT_KEY = "import:expense:"


def references_fill(apps, schema_editor):
    for name in ("Expense", "InKindContribution"):
        model = apps.get_model("sharedcosts", name)
        rows = list(model.objects.select_related("transaction"))
        for row in rows:
            key = row.transaction.idempotency_key if row.transaction_id else ""
            row.reference = uuid.UUID(hex=key[len(IMPORT_KEY) :][:32]) if key.startswith(IMPORT_KEY) else uuid.uuid4()
        model.objects.bulk_update(rows, ["reference"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
        ("sharedcosts", "0004_tables_of_posted_money_refuse_truncate"),
    ]

    operations = [
        migrations.AddField(
            model_name="expense", name="reference", field=models.UUIDField(editable=False, null=True, verbose_name="reference")
        ),
        migrations.AddField(
            model_name="inkindcontribution",
            name="reference",
            field=models.UUIDField(editable=False, null=True, verbose_name="reference"),
        ),
        migrations.RunPython(references_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="expense",
            name="reference",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="reference"),
        ),
        migrations.AlterField(
            model_name="inkindcontribution",
            name="reference",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="reference"),
        ),
    ]
