from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from spreadsheets.models import ImportJob
from spreadsheets.tasks import run_import_job


def test_the_admin_lists_import_jobs_and_offers_to_start_one(db, administrator, admin_client):
    ImportJob.objects.create(created_by=administrator, resource="x", filename="mine.csv", content=b"")
    response = admin_client.get("/admin/spreadsheets/importjob/")
    assert response.status_code == 200 and b"mine.csv" in response.content
    assert admin_client.get("/admin/spreadsheets/importjob/add/").status_code == 200


def test_the_admin_starts_a_job_that_names_its_resource_by_key(db, admin_client, django_capture_on_commit_callbacks):
    data = "nom;catégorie;secteur\nA;library;sud\n".encode()
    with mock.patch.object(run_import_job, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/spreadsheets/importjob/add/",
            {"what": "partenaires", "file": SimpleUploadedFile("p.csv", data, "text/csv")},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.resource, job.filename, bytes(job.content), job.dry_run) == ("partenaires", "p.csv", data, False)
    delay.assert_called_once_with(job.pk, "fr-ca")


def test_the_add_page_names_its_fields_and_choices_with_a_capital_and_offers_one_button(db, admin_client):
    page = admin_client.get("/admin/spreadsheets/importjob/add/").content.decode()
    assert 'for="id_what">Ce qui est importé\u00a0:</label>' in page
    assert 'for="id_file">Fichier\u00a0:</label>' in page
    assert '<option value="adhesions">Appartenances</option>' in page
    assert 'value="Lancer l’importation"' in page
    assert "_addanother" not in page and "_continue" not in page
