"""The ImportJob model arrives from the ledger, with its rows: its table stays ``ledger_importjob``.

The model enters Django's picture only (the table was made by
``ledger.0006_importjob`` and is kept as it is). Its content type is renamed
from ``ledger`` to ``spreadsheets``, so the permissions the staff groups hold
on imports, and the admin's history of them, follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "importjob"


def _content_type_move(apps, schema_editor, *, old_label: str, new_label: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(schema_editor.connection.alias)
    # a database migrated from scratch has no content types yet: they are made after the migrations
    if not content_types.filter(app_label=new_label, model=MODEL).exists():
        content_types.filter(app_label=old_label, model=MODEL).update(app_label=new_label)
    content_types.clear_cache()


def content_type_to_spreadsheets(apps, schema_editor) -> None:
    _content_type_move(apps, schema_editor, old_label="ledger", new_label="spreadsheets")


def content_type_to_ledger(apps, schema_editor) -> None:
    _content_type_move(apps, schema_editor, old_label="spreadsheets", new_label="ledger")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ledger", "0007_importjob_moves_to_spreadsheets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("resource", models.CharField(max_length=200, verbose_name="what is imported")),
                        ("filename", models.CharField(blank=True, max_length=255, verbose_name="file name")),
                        ("content", models.BinaryField(verbose_name="content")),
                        ("dry_run", models.BooleanField(default=False, verbose_name="dry run")),
                        (
                            "status",
                            models.CharField(
                                choices=[("pending", "Waiting"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
                                default="pending",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        ("total_rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("processed_rows", models.PositiveIntegerField(default=0, verbose_name="rows read")),
                        ("result", models.JSONField(blank=True, default=dict, verbose_name="result")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="started at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="started by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "db_table": "ledger_importjob",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_spreadsheets, content_type_to_ledger),
    ]
