"""A job names what it imports by its key in the registry (``depenses``), no longer by a Python path.

The table below is frozen here on purpose: it maps the paths the jobs
stored before this migration, whatever the classes are called later. A
value it does not know is left as it is, both ways.
"""

from django.db import migrations

KEY_OF_PATH = {
    "ledger.resources.PartyResource": "partenaires",
    "ledger.resources.MembershipResource": "adhesions",
    "sharedcosts.resources.MeansDeclarationResource": "moyens",
    "sharedcosts.resources.CostPoolResource": "regroupements",
    "sharedcosts.resources.ParticipationResource": "participations",
    "sharedcosts.resources.ExpenseResource": "depenses",
    "sharedcosts.resources.InKindContributionResource": "contributions",
    "grants.resources.FundingProgrammeResource": "programmes",
    "grants.resources.GrantResource": "subventions",
    "grants.resources.ReportRequirementResource": "rapports",
}


def _rename(apps, schema_editor, *, names: dict[str, str]) -> None:
    jobs = apps.get_model("spreadsheets", "ImportJob").objects.db_manager(schema_editor.connection.alias)
    for old, new in names.items():
        jobs.filter(resource=old).update(resource=new)


def paths_to_keys(apps, schema_editor) -> None:
    _rename(apps, schema_editor, names=KEY_OF_PATH)


def keys_to_paths(apps, schema_editor) -> None:
    _rename(apps, schema_editor, names={key: path for path, key in KEY_OF_PATH.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("spreadsheets", "0001_importjob_from_ledger"),
    ]

    operations = [
        migrations.RunPython(paths_to_keys, keys_to_paths),
    ]
