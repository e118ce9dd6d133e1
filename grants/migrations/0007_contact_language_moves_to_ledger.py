"""The language each person last chose moves to the ledger's notifications, which every app reads; rows copied."""

from django.db import migrations


def languages_copy(apps, schema_editor) -> None:
    old = apps.get_model("grants", "ContactLanguage")
    new = apps.get_model("ledger", "ContactLanguage")
    new.objects.bulk_create(
        [new(user_id=row.user_id, language=row.language) for row in old.objects.all()], ignore_conflicts=True
    )


def languages_copy_back(apps, schema_editor) -> None:
    old = apps.get_model("grants", "ContactLanguage")
    new = apps.get_model("ledger", "ContactLanguage")
    old.objects.bulk_create(
        [old(user_id=row.user_id, language=row.language) for row in new.objects.all()], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0006_constraints_in_words"),
        ("ledger", "0011_notifications"),
    ]

    operations = [
        migrations.RunPython(languages_copy, languages_copy_back),
        migrations.DeleteModel(name="ContactLanguage"),
    ]
