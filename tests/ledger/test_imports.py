import io

import pytest
from openpyxl import Workbook

from ledger.imports import ImportFileError, file_import, table_read
from ledger.models import Party
from ledger.resources import PartyResource

HEADER = "nom;catégorie;secteur\n"


def test_semicolon_csv_in_utf8_with_bom():
    table = table_read(("\ufeff" + HEADER + "Été jeunesse;library;nord\n").encode("utf-8"))
    assert table.dataset.headers == ["nom", "categorie", "secteur"]
    assert table.dataset[0][0] == "Été jeunesse"


def test_comma_csv_in_windows_1252_and_empty_lines_keep_their_line_numbers():
    data = "nom,catégorie,secteur\n\nÉcole des Hauts,education,sud\n,,\nCégep,education,nord\n".encode("cp1252")
    table = table_read(data)
    assert [row[0] for row in table.dataset] == ["École des Hauts", "Cégep"]
    assert table.lines == [3, 5]


def test_xlsx_with_numbers_as_decimals():
    book = Workbook()
    sheet = book.active
    sheet.append(["Nom", "Valeur"])
    sheet.append(["A", 1234.56])
    stream = io.BytesIO()
    book.save(stream)
    table = table_read(stream.getvalue(), "x.xlsx")
    assert str(table.dataset[0][1]) == "1234.56"


def test_a_file_over_the_limit_is_refused(settings):
    settings.IMPORT_EXPORT_MAX_FILE_BYTES = 1024
    with pytest.raises(ImportFileError):
        table_read(b"x" * 2048)


def test_a_50_mb_file_is_refused_before_it_is_read(db):
    report = file_import(PartyResource(), b"a" * (50 * 1024 * 1024 + 1), dry_run=False)
    assert not report.ok and report.errors[0].row == 1 and "50,0 Mo" in report.errors[0].message


def test_dry_run_saves_nothing_then_confirm_saves(db):
    data = (HEADER + "Bibliothèque de Saint-Jérôme;Bibliothèque;Sud\n").encode()
    report = file_import(PartyResource(), data, dry_run=True)
    assert report.ok and report.created == 1 and report.preview
    assert not Party.objects.exists()
    report = file_import(PartyResource(), data, dry_run=False)
    assert report.saved and Party.objects.get().kind == "library"


def test_one_wrong_row_saves_nothing_and_names_row_and_column(db):
    data = (HEADER + "Bibliothèque;library;sud\n\nPolice;police;ouest\n").encode()
    report = file_import(PartyResource(), data, dry_run=False)
    assert not Party.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(4, "secteur")]
    assert "Ligne 4, colonne « secteur »" in str(report.errors[0])


def test_wrong_and_missing_headers(db):
    report = file_import(PartyResource(), "nom;type de partenaire\nA;library\n".encode(), dry_run=False)
    columns = {e.column for e in report.errors}
    assert {"catégorie", "secteur", "type de partenaire"} <= columns
    assert not Party.objects.exists()


def test_errors_read_in_french(db):
    from django.utils import translation

    with translation.override("fr-ca"):
        report = file_import(PartyResource(), (HEADER + "A;library;ouest\n").encode(), dry_run=False)
    assert report.errors and report.errors[0].column == "secteur"


def _big_parties_file(rows: int, bad_row: int | None = None) -> bytes:
    lines = [HEADER.strip()]
    for number in range(rows):
        sector = "ouest" if number == bad_row else "sud"
        lines.append(f"Partenaire {number:05d};library;{sector}")
    return ("\n".join(lines) + "\n").encode()


def test_a_large_file_is_imported_by_a_job_that_keeps_progress_and_result(db, administrator, django_capture_on_commit_callbacks):
    from unittest import mock

    from ledger.imports import import_job_start, job_progress
    from ledger.models import ImportJob
    from ledger.tasks import run_import_job

    with mock.patch.object(run_import_job, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(
            resource_path="ledger.resources.PartyResource", data=_big_parties_file(1500), filename="p.csv", user=administrator
        )
    delay.assert_called_once_with(job.pk)
    assert job.status == "pending" and not Party.objects.exists()
    run_import_job.apply(args=[job.pk])
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "done" and job.total_rows == 1500 and job_progress(job) == 1500
    assert job.result["created"] == 1500 and job.result["errors"] == []
    assert Party.objects.count() == 1500
    assert run_import_job.apply(args=[job.pk]).get()["created"] == 1500  # run again: nothing more
    assert Party.objects.count() == 1500


def test_a_failed_job_keeps_its_errors_and_saves_nothing(db, administrator):
    from ledger.imports import import_job_run
    from ledger.models import ImportJob

    job = ImportJob.objects.create(
        created_by=administrator, resource="ledger.resources.PartyResource", filename="p.csv", content=_big_parties_file(1200, bad_row=1100)
    )
    result = import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and result["errors"] == [{"row": 1102, "column": "secteur", "message": result["errors"][0]["message"]}]
    assert not Party.objects.exists()


def test_the_admin_lists_import_jobs_and_offers_to_start_one(db, administrator, admin_client):
    from ledger.models import ImportJob

    ImportJob.objects.create(created_by=administrator, resource="x", filename="mine.csv", content=b"")
    response = admin_client.get("/admin/ledger/importjob/")
    assert response.status_code == 200 and b"mine.csv" in response.content
    assert admin_client.get("/admin/ledger/importjob/add/").status_code == 200
