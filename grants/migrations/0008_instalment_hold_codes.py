"""Holds get a code and what it names, written in the reader's language when shown (grants.holds).

Instalments held before for an overdue report kept a sentence naming the
report's due date (``2026-11-19``); when that date is the due date of one
report of the grant, they get the report's code too, and their sentence
stays. Other holds keep their sentence only.
"""

import re

from django.db import migrations, models

ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def overdue_report_holds_coded(apps, schema_editor):
    Instalment = apps.get_model("grants", "Instalment")
    ReportRequirement = apps.get_model("grants", "ReportRequirement")
    for instalment in Instalment.objects.filter(status="held", hold_code="").exclude(hold_reason="").iterator():
        found = ISO_DATE.search(instalment.hold_reason)
        if found is None:
            continue
        reports = list(ReportRequirement.objects.filter(grant_id=instalment.grant_id, due_date=found.group(1))[:2])
        if len(reports) != 1:
            continue
        report = reports[0]
        instalment.hold_code = "overdue_report"
        instalment.hold_params = {"report": report.pk, "kind": report.kind, "due_date": report.due_date.isoformat()}
        instalment.save(update_fields=["hold_code", "hold_params"])


class Migration(migrations.Migration):
    # Grants' tables only: a test that takes the ledger's migrations back and forth leaves this one applied.
    dependencies = [
        ('grants', '0007_contact_language_moves_to_ledger'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='instalment',
            name='grants_instalment_hold_has_reason',
        ),
        migrations.AddField(
            model_name='historicalinstalment',
            name='hold_code',
            field=models.CharField(blank=True, choices=[('overdue_report', 'A required report is overdue'), ('staff', 'Held by the staff')], max_length=20, verbose_name='why it is held'),
        ),
        migrations.AddField(
            model_name='instalment',
            name='hold_code',
            field=models.CharField(blank=True, choices=[('overdue_report', 'A required report is overdue'), ('staff', 'Held by the staff')], max_length=20, verbose_name='why it is held'),
        ),
        migrations.AddField(
            model_name='instalment',
            name='hold_params',
            field=models.JSONField(blank=True, default=dict, help_text='For an overdue report: the report requirement, its kind and its due date.', verbose_name='what the hold names'),
        ),
        migrations.AlterField(
            model_name='historicalinstalment',
            name='hold_reason',
            field=models.CharField(blank=True, help_text="The staff's own words; an instalment held before holds had codes keeps its reason here.", max_length=500, verbose_name='reason for the hold'),
        ),
        migrations.AlterField(
            model_name='instalment',
            name='hold_reason',
            field=models.CharField(blank=True, help_text="The staff's own words; an instalment held before holds had codes keeps its reason here.", max_length=500, verbose_name='reason for the hold'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'held'), _negated=True), models.Q(('hold_code', ''), _negated=True), models.Q(('hold_reason', ''), _negated=True), _connector='OR'), name='grants_instalment_hold_has_reason', violation_error_message='A held instalment says why it is held.'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.CheckConstraint(condition=models.Q(('hold_code', ''), ('status', 'held'), _connector='OR'), name='grants_instalment_hold_code_only_held', violation_error_message='Only a held instalment has a reason for its hold.'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('hold_code', 'overdue_report'), _negated=True), ('hold_params__has_keys', ['report', 'kind', 'due_date']), _connector='OR'), name='grants_instalment_overdue_hold_names_report', violation_error_message='A hold for an overdue report names the report, its kind and its due date.'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('hold_code', 'staff'), _negated=True), models.Q(('hold_reason', ''), _negated=True), _connector='OR'), name='grants_instalment_staff_hold_has_words', violation_error_message='A hold decided by the staff says why in their words.'),
        ),
        migrations.RunPython(overdue_report_holds_coded, migrations.RunPython.noop),
    ]
