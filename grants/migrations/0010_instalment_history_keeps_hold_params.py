"""An instalment's history keeps what its hold names, so its pages write the hold in the reader's language.

Versions written before holds had codes kept a sentence naming the
report's due date (``2026-11-19``); as 0008 did for the instalments, a
version whose date is the due date of one report of its grant gets that
report's code and what it names, and its sentence stays. Versions written
since 0008 with a code but nothing it names read as the code's label.
"""

import re

from django.db import migrations, models

ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def overdue_report_versions_coded(apps, schema_editor):
    HistoricalInstalment = apps.get_model("grants", "HistoricalInstalment")
    ReportRequirement = apps.get_model("grants", "ReportRequirement")
    versions = HistoricalInstalment.objects.filter(status="held", hold_code="").exclude(hold_reason="")
    for version in versions.iterator():
        found = ISO_DATE.search(version.hold_reason)
        if found is None:
            continue
        reports = list(ReportRequirement.objects.filter(grant_id=version.grant_id, due_date=found.group(1))[:2])
        if len(reports) != 1:
            continue
        report = reports[0]
        version.hold_code = "overdue_report"
        version.hold_params = {"report": report.pk, "kind": report.kind, "due_date": report.due_date.isoformat()}
        version.save(update_fields=["hold_code", "hold_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0009_programme_names_and_grant_titles_sort_as_french_reads"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinstalment",
            name="hold_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="For an overdue report: the report requirement, its kind and its due date.",
                verbose_name="what the hold names",
            ),
        ),
        migrations.RunPython(overdue_report_versions_coded, migrations.RunPython.noop),
    ]
