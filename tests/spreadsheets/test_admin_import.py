"""The admin's import screens: the project's messages, a preview of values and changes, blank cells kept, large files as jobs."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.models import Party
from sharedcosts.models import Expense
from spreadsheets.models import ImportJob
from spreadsheets.registry import IMPORTABLE
from spreadsheets.runs import file_import
from spreadsheets.tasks import run_import_job

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
PARTIES = "/admin/ledger/party/"


def _send(client, url, data: bytes, name="f.csv", **fields):
    return client.post(url + "import/", {"resource": "0", "import_file": SimpleUploadedFile(name, data, "text/csv"), **fields})


def _pools(administrator):
    for key, name in (("partenaires", "01-partenaires.csv"), ("regroupements", "03-regroupements.csv"), ("participations", "04-participations.csv")):
        assert file_import(IMPORTABLE[key](), (SAMPLES / name).read_bytes(), dry_run=False, user=administrator).saved


def test_the_admin_names_the_spreadsheets_line_and_header_and_writes_limits_the_french_way(db, administrator, admin_client):
    _pools(administrator)
    data = (
        "regroupement;payé par;fournisseur;date;montant\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;12,00\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-16;0,00\n"
    ).encode()
    response = _send(admin_client, "/admin/sharedcosts/expense/", data, HTTP_ACCEPT_LANGUAGE="fr-ca")
    errors = [" ".join(str(error).replace("\u202f", " ").replace("\u00a0", " ").split()) for error in response.context["report"].errors]
    assert errors == ["Ligne 3, colonne « montant » : La valeur doit être d’au moins 0,01 $."]
    assert "confirm_form" not in response.context and not Expense.objects.exists()


def test_the_admin_checks_missing_columns(db, admin_client):
    response = _send(admin_client, PARTIES, "nom;secteur\nA;sud\n".encode())
    assert [(error.row, error.column) for error in response.context["report"].errors] == [(1, "catégorie")]


def test_the_preview_shows_each_rows_values_and_what_an_update_changes(db, admin_client):
    Party.objects.create(name="A", kind="library", sector="sud", liaison_name="Julie")
    data = "nom;catégorie;secteur;personne-ressource\nA;library;nord;\nB;library;sud;Marc\n".encode()
    response = _send(admin_client, PARTIES, data)
    report = response.context["report"]
    update, new = report.preview
    assert (update.line, update.changes) == (2, {"secteur": ("Sud", "Nord")})
    assert update.values["personne-ressource"] == "Julie"  # a blank cell keeps the stored value
    assert (new.line, new.values["nom"], new.values["personne-ressource"]) == (3, "B", "Marc")
    assert "Sud</span> → <span class=\"new\">Nord" in response.content.decode()
    response = admin_client.post(PARTIES + "process_import/", response.context["confirm_form"].initial)
    assert response.status_code == 302
    assert Party.objects.get(name="A").liaison_name == "Julie" and Party.objects.get(name="A").sector == "nord"


@pytest.mark.parametrize(
    ("language", "values", "changes"),
    [
        (
            "fr-ca",
            {"catégorie": "Organisme communautaire jeunesse", "secteur": "Sud", "actif": "oui"},
            {"catégorie": ("Bibliothèque", "Organisme communautaire jeunesse"), "secteur": ("Nord", "Sud"), "actif": ("oui", "non")},
        ),
        (
            "en",
            {"catégorie": "Youth community organisation", "secteur": "South", "actif": "yes"},
            {"catégorie": ("Library", "Youth community organisation"), "secteur": ("North", "South"), "actif": ("yes", "no")},
        ),
    ],
)
def test_the_preview_shows_each_choice_by_its_label_in_the_persons_language(db, admin_client, settings, language, values, changes):
    Party.objects.create(name="A", kind="library", sector="nord", is_active=True)
    data = "nom;catégorie;secteur;actif\nA;community_youth;sud;non\nB;community_youth;sud;oui\n".encode()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _send(admin_client, PARTIES, data)
    update, new = response.context["report"].preview
    assert update.changes == changes
    assert {name: new.values[name] for name in values} == values
    page = response.content.decode()
    assert "community_youth" not in page and "library" not in page
    response = admin_client.post(PARTIES + "process_import/", response.context["confirm_form"].initial)
    assert [(party.kind, party.sector, party.is_active) for party in Party.objects.order_by("name")] == [
        ("community_youth", "sud", False),
        ("community_youth", "sud", True),
    ]


def test_blank_cells_erase_values_only_when_the_box_is_ticked(db, admin_client):
    Party.objects.create(name="A", kind="library", sector="sud", liaison_name="Julie", liaison_email="j@x.example")
    data = "nom;catégorie;secteur;personne-ressource;courriel\nA;library;sud;;\n".encode()
    response = _send(admin_client, PARTIES, data, erase_blanks="on")
    assert response.context["report"].preview[0].changes == {"personne-ressource": ("Julie", ""), "courriel": ("j@x.example", "")}
    admin_client.post(PARTIES + "process_import/", response.context["confirm_form"].initial)
    assert Party.objects.get(name="A").liaison_name == ""


def test_a_large_file_goes_to_a_job_whose_page_shows_its_progress(db, admin_client, django_capture_on_commit_callbacks):
    rows = "\n".join(f"P{number:05d};library;sud" for number in range(1001))
    with mock.patch.object(run_import_job, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        response = _send(admin_client, PARTIES, f"nom;catégorie;secteur\n{rows}\n".encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/spreadsheets/importjob/{job.pk}/progress/"
    assert job.dry_run and job.resource == "partenaires"
    delay.assert_called_once_with(job.pk, "fr-ca")
    assert b"import-bar" in admin_client.get(response.url).content
    run_import_job.apply(args=[job.pk])
    state = admin_client.get(f"/admin/spreadsheets/importjob/{job.pk}/status/").json()
    assert (state["finished"], state["processed"], state["total"], state["confirmable"]) == (True, 1001, 1001, True)
    assert not Party.objects.exists()
    response = admin_client.post(f"/admin/spreadsheets/importjob/{job.pk}/confirm/")
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.url == f"/admin/spreadsheets/importjob/{real.pk}/progress/" and not real.dry_run


def test_each_importable_offers_a_template(db, admin_client):
    response = admin_client.get("/admin/sharedcosts/costpool/import/")
    assert b"/admin/sharedcosts/costpool/import/template/1/" in response.content
    response = admin_client.get("/admin/ledger/party/import/template/0/")
    assert response["Content-Disposition"].startswith('attachment; filename="partenaires-')


def test_a_template_holds_the_columns_and_an_example_row_that_imports(db, admin_client, administrator):
    import io

    from openpyxl import load_workbook

    response = admin_client.get("/admin/ledger/party/import/template/0/")
    rows = [[cell or "" for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == ["nom", "catégorie", "secteur", "personne-ressource", "courriel", "téléphone", "actif"]
    assert rows[1][0] == "Maison des jeunes de Saint-Jérôme"
    assert file_import(IMPORTABLE["partenaires"](), response.content, "modele.xlsx", dry_run=False, user=administrator).saved


def test_a_failed_large_import_offers_the_persons_file_with_an_erreur_column(db, administrator, admin_client):
    import csv
    import io

    from spreadsheets.runs import import_job_run

    lines = ["Nom;Catégorie;Secteur"] + [f"P{number:05d};library;{'ouest' if number == 1100 else 'sud'}" for number in range(1200)]
    job = ImportJob.objects.create(created_by=administrator, resource="partenaires", filename="p.csv", content="\n".join(lines).encode())
    import_job_run(job_id=job.pk)
    response = admin_client.get(f"/admin/spreadsheets/importjob/{job.pk}/error-report/")
    assert response["Content-Disposition"].startswith('attachment; filename="p-erreurs-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Catégorie", "Secteur", "erreur"]
    assert rows[1101][:3] == ["P01100", "library", "ouest"] and rows[1101][3].startswith("Colonne «\u00a0secteur\u00a0»")
    assert rows[1][3] == "" and len(rows) == 1201
    fixed = response.content.replace(b"ouest", b"sud")
    assert file_import(IMPORTABLE["partenaires"](), fixed, dry_run=True).ok  # the "erreur" column is ignored




def test_admin_exports_are_named_in_the_persons_words_and_dated_in_local_time(db, admin_client):
    from datetime import datetime
    from datetime import timezone as utc_zone

    from django.contrib import admin
    from django.utils import translation

    from spreadsheets.formats import SpreadsheetXLSX

    late_evening_utc = datetime(2026, 12, 1, 3, 30, tzinfo=utc_zone.utc)  # still 30 November in Québec
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc), translation.override("fr-ca"):
        name = admin.site._registry[Expense].get_export_filename(None, Expense.objects.none(), SpreadsheetXLSX())
    assert name == "depenses-partagees-2026-11-30.xlsx"
