"""The ImportJob model's move from the ledger keeps its rows, its permissions, and names resources by key."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from config.database_roles import as_owner
from spreadsheets.models import ImportJob

FROM_LEDGER = ("spreadsheets", "0001_importjob_from_ledger")
BY_KEY = ("spreadsheets", "0002_jobs_name_their_resource_by_key")
LATEST = ("spreadsheets", "0003_import_job_erase_blanks")

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target: tuple[str, str | None]) -> None:
    """Migrate as the owner, as a deployment does: the application's role may not change tables."""
    with as_owner():
        MigrationExecutor(connection).migrate([target])
    ContentType.objects.clear_cache()


def test_a_job_stored_with_a_python_path_names_its_resource_by_key_and_back(administrator):
    expenses = ImportJob.objects.create(created_by=administrator, resource="depenses", filename="d.csv", content=b"d")
    unknown = ImportJob.objects.create(created_by=administrator, resource="x", filename="x.csv", content=b"x")
    try:
        _migrate(FROM_LEDGER)
        resources = dict(ImportJob.objects.values_list("pk", "resource"))  # the model is ahead of the table here
        assert resources == {expenses.pk: "sharedcosts.resources.ExpenseResource", unknown.pk: "x"}
    finally:
        _migrate(LATEST)
    assert ImportJob.objects.get(pk=expenses.pk).resource == "depenses"
    assert ImportJob.objects.get(pk=unknown.pk).resource == "x"


def test_the_rows_the_content_type_and_its_permissions_follow_the_model(administrator):
    job = ImportJob.objects.create(created_by=administrator, resource="partenaires", filename="p.csv", content=b"p")
    content_type = ContentType.objects.get_for_model(ImportJob)
    view = Permission.objects.get(content_type=content_type, codename="view_importjob")
    try:
        _migrate(("spreadsheets", None))
        content_type.refresh_from_db()
        assert (content_type.app_label, content_type.model) == ("ledger", "importjob")
    finally:
        _migrate(LATEST)
    content_type.refresh_from_db()
    assert (content_type.app_label, content_type.model) == ("spreadsheets", "importjob")
    assert Permission.objects.get(pk=view.pk).content_type_id == content_type.pk
    assert ImportJob.objects.get(pk=job.pk).filename == "p.csv"
