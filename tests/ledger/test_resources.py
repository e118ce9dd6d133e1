from ledger.models import Party
from ledger.resources import PartyResource
from spreadsheets.runs import file_export, file_import


def test_a_formula_in_a_name_is_exported_harmlessly_and_round_trips(db):
    Party.objects.create(name='=HYPERLINK("http://evil.example","x")', kind="other", sector="sud")
    exported = file_export(PartyResource())
    assert b"'=HYPERLINK" in exported
    Party.objects.all().delete()
    report = file_import(PartyResource(), exported, dry_run=False)
    assert report.saved, report.errors
    assert Party.objects.get().name == '=HYPERLINK("http://evil.example","x")'


def test_importing_the_same_parties_twice_changes_nothing(db):
    data = "nom;catégorie;secteur\nA;library;sud\n".encode()
    assert file_import(PartyResource(), data, dry_run=False).created == 1
    report = file_import(PartyResource(), data, dry_run=False)
    assert report.created == 0 and report.skipped == 1


def test_duplicate_rows_are_refused(db):
    data = "nom;catégorie;secteur\nA;library;sud\nA;library;sud\n".encode()
    report = file_import(PartyResource(), data, dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(3, "")]
    assert report.errors[0].message == "Cette ligne répète la ligne 2."
    assert not Party.objects.exists()


def test_the_admin_imports_a_semicolon_windows_1252_file_after_a_dry_run(admin_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "Nom;Catégorie;Secteur\nÉcole des Hauts;École, cégep ou université;Sud\n".encode("cp1252")
    response = admin_client.post(
        "/admin/ledger/party/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("p.csv", data, "text/csv")},
    )
    assert response.status_code == 200, response.content[:500]
    assert not Party.objects.exists()  # a dry run first
    form = response.context["confirm_form"]
    response = admin_client.post("/admin/ledger/party/process_import/", form.initial)
    assert response.status_code == 302
    assert Party.objects.get().name == "École des Hauts"


def test_the_admin_shows_a_row_error_and_saves_nothing(admin_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "nom;catégorie;secteur\nA;library;ouest\n".encode()
    response = admin_client.post(
        "/admin/ledger/party/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("p.csv", data, "text/csv")},
    )
    assert response.status_code == 200 and "confirm_form" not in response.context
    assert "ouest" in response.content.decode()
    assert not Party.objects.exists()
