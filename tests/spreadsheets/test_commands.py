from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from grants.models import Grant
from ledger.models import Party, Transaction
from sharedcosts.models import CostPool, Expense, MeansDeclaration, Participation
from spreadsheets.models import ImportJob
from spreadsheets.tasks import run_import_job

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
ORDER = [
    ("partenaires", "01-partenaires.csv"),
    ("moyens", "02-moyens.csv"),
    ("regroupements", "03-regroupements.csv"),
    ("participations", "04-participations.csv"),
    ("depenses", "05-depenses.csv"),
    ("programmes", "06-programmes.csv"),
    ("subventions", "07-subventions.csv"),
    ("rapports", "08-rapports.csv"),
]


@pytest.fixture
def samples_imported(db, administrator):
    for model, name in ORDER:
        out = StringIO()
        call_command("import_data", model, str(SAMPLES / name), "--user", administrator.username, stdout=out)
        assert "Importation terminée\xa0: " in out.getvalue() and "nouvelle" in out.getvalue()


def test_the_french_samples_import_as_they_are(samples_imported):
    assert Party.objects.count() == 3
    assert MeansDeclaration.objects.get(party__name__startswith="Maison").value == 412500
    assert CostPool.objects.get(name="Local partagé 2025-2026").budgeted_cost.amount == 36000
    assert Participation.objects.get(party__name__startswith="Travail", pool__kind="premises").floor.amount == 1000
    assert Expense.objects.filter(transaction__isnull=False).count() == 3
    grant = Grant.objects.get(title="Table de concertation jeunesse")
    assert grant.frequency == "quarterly" and grant.budget_lines.count() == 2 and grant.instalments.count() == 4
    assert grant.report_requirements.filter(kind="final", content="financial", due_date="2026-04-30").exists()


def test_the_same_expenses_twice_post_nothing_the_second_time(samples_imported, administrator):
    transactions = Transaction.objects.count()
    out = StringIO()
    call_command("import_data", "depenses", str(SAMPLES / "05-depenses.csv"), "--user", administrator.username, stdout=out)
    assert "3 lignes avaient déjà été importées et n’ont pas été comptabilisées de nouveau." in out.getvalue()
    assert Transaction.objects.count() == transactions and Expense.objects.count() == 3


def test_dry_run_saves_nothing(db, administrator):
    out = StringIO()
    call_command("import_data", "partenaires", str(SAMPLES / "01-partenaires.csv"), "--dry-run", stdout=out)
    assert "Essai à blanc, rien n’a été enregistré\xa0: 3 nouvelles lignes, 0 ligne modifiée, 0 ligne inchangée." in out.getvalue()
    assert not Party.objects.exists()


def _write(tmp_path, text, name="f.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _errors(model, path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", model, path, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_every_bad_expense_is_a_row_error_and_nothing_changes(samples_imported, tmp_path):
    before = (Expense.objects.count(), Transaction.objects.count())
    path = _write(
        tmp_path,
        "regroupement;payé par;fournisseur;date;montant;devise;description\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;Bon;2025-07-01;100,00;CAD;ok\n"
        "Local partagé 2025-2026;Inconnu inc.;X;2025-07-01;100,00;CAD;\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;X;2025-07-01;12,5,0;CAD;\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;X;2025-07-01;abc;CAD;\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;X;2025-02-30;10;CAD;\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;X;July 1st;10;CAD;\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;X;2025-07-01;10;USD;\n"
        ";;;;;;\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;Bon;2025-07-01;100,00;CAD;ok\n"
        "Regroupement fantôme;Maison des jeunes de Saint-Jérôme;X;2025-07-01;10;CAD;\n",
    )
    errors = _errors("depenses", path)
    assert "Ligne 3, colonne «\xa0payé par\xa0»" in errors and "Inconnu inc." in errors
    assert "Ligne 4, colonne «\xa0montant\xa0»" in errors and "12,5,0" in errors
    assert "Ligne 5, colonne «\xa0montant\xa0»" in errors
    assert "Ligne 6, colonne «\xa0date\xa0»" in errors
    assert "Ligne 7, colonne «\xa0date\xa0»" in errors
    assert "Ligne 8, colonne «\xa0devise\xa0»" in errors
    assert "Ligne 10\xa0: Cette ligne répète la ligne 2." in errors
    assert "Ligne 11, colonne «\xa0regroupement\xa0»" in errors
    assert "Ligne 9" not in errors and "Ligne 2," not in errors and "Ligne 2\xa0:" not in errors
    assert "Traceback" not in errors
    assert (Expense.objects.count(), Transaction.objects.count()) == before


def test_negative_means_and_windows_1252_file(samples_imported, tmp_path):
    count = MeansDeclaration.objects.count()
    path = _write(
        tmp_path,
        "partenaire,valeur,date,source\n"
        "Travail de rue Laurentides,\"-5,00\",2025-03-31,États financiers\n",
        encoding="cp1252",
    )
    errors = _errors("moyens", path)
    assert "Ligne 2, colonne «\xa0valeur\xa0»" in errors
    assert MeansDeclaration.objects.count() == count


def test_export_to_xlsx_and_back(samples_imported, tmp_path):
    path = tmp_path / "p.xlsx"
    call_command("export_data", "partenaires", str(path))
    Participation.objects.all().delete()
    out = StringIO()
    call_command("import_data", "partenaires", str(path), stdout=out)
    assert "3 lignes inchangées" in out.getvalue()


def test_background_import_queues_a_job(db, administrator, django_capture_on_commit_callbacks):
    out = StringIO()
    with mock.patch.object(run_import_job, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        call_command("import_data", "partenaires", str(SAMPLES / "01-partenaires.csv"), "--background", stdout=out)
    job = ImportJob.objects.get()
    assert job.resource == "partenaires"
    delay.assert_called_once_with(job.pk, "fr-ca")
    assert f"Import job {job.pk} queued." in out.getvalue()
    run_import_job.apply(args=[job.pk])
    assert Party.objects.count() == 3


def test_export_only_models_are_exported(samples_imported, tmp_path):
    out = StringIO()
    call_command("export_data", "transactions", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("transaction;date;type;clé") and len(lines) > 3


def test_the_xlsx_sample_imports_with_exact_cents(samples_imported, administrator):
    from decimal import Decimal

    call_command(
        "import_data", "depenses", str(SAMPLES / "05b-depenses.xlsx"), "--user", administrator.username, stdout=StringIO()
    )
    amounts = sorted(e.amount.amount for e in Expense.objects.filter(vendor__endswith="(classeur)"))
    assert amounts == [Decimal("1234.56"), Decimal("3000.00"), Decimal("3000.00")]


def test_allocations_and_disbursements_are_exported_and_never_imported(db, tmp_path):
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("export_data", "repartitions", stdout=out)
    allocations = out.getvalue().splitlines()
    assert allocations[0] == "regroupement;version;statut;partenaire;capacité;part;devise"
    assert "Locaux partagés du site de Saint-Jérôme;1;posted;Maison des jeunes de Saint-Jérôme;185000,00;1500,00;CAD" in allocations
    out = StringIO()
    call_command("export_data", "versements", stdout=out)
    disbursements = out.getvalue().splitlines()
    assert disbursements[0] == "subvention;partenaire;versement;échéance;montant;devise;statut;transaction;motif de la retenue"
    assert any(line.startswith("Soirées 16-25 ans — Saint-Jérôme;Maison des jeunes de Saint-Jérôme;1;") for line in disbursements)
    held = [line for line in disbursements if ";held;" in line]  # the demo's overdue report holds an instalment
    assert held and all("n’a pas encore été accepté; son acceptation libère ce versement." in line for line in held)
    (tmp_path / "versements.csv").write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_data", "versements", str(tmp_path / "versements.csv"), stdout=StringIO())


def test_without_anyone_allowed_to_import_the_command_asks_who_imports(db, tmp_path):
    with pytest.raises(CommandError, match="--user"):
        call_command("import_data", "partenaires", str(SAMPLES / "01-partenaires.csv"), stdout=StringIO())


def test_a_blank_cell_keeps_the_stored_value_unless_the_command_is_told_to_erase(db, administrator, tmp_path):
    Party.objects.create(name="A", kind="library", sector="sud", liaison_name="Julie")
    path = _write(tmp_path, "nom;catégorie;secteur;personne-ressource\nA;library;nord;\n")
    call_command("import_data", "partenaires", path, stdout=StringIO())
    assert Party.objects.values_list("sector", "liaison_name").get() == ("nord", "Julie")
    call_command("import_data", "partenaires", path, "--erase-blanks", stdout=StringIO())
    assert Party.objects.values_list("sector", "liaison_name").get() == ("nord", "")


def test_the_samples_import_in_their_numbered_order_on_top_of_the_demo(db, administrator):
    call_command("seed_demo", stdout=StringIO())
    for path in sorted(SAMPLES.iterdir()):
        key = path.stem.split("-", 1)[1]  # 05b-depenses.xlsx: depenses
        out = StringIO()
        call_command("import_data", key, str(path), "--user", administrator.username, stdout=out, stderr=out)
        assert "erreur" not in out.getvalue(), (path.name, out.getvalue())
