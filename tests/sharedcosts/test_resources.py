def test_admin_has_import_and_export_buttons(admin_client, db):
    response = admin_client.get("/admin/sharedcosts/expense/import/")
    assert response.status_code == 200
    response = admin_client.get("/admin/sharedcosts/expense/export/")
    assert response.status_code == 200


def test_two_rows_for_the_same_expense_written_differently_are_refused(db, administrator):
    from pathlib import Path

    from ledger.imports import file_import
    from portal.resources import IMPORTABLE
    from sharedcosts.models import Expense

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for name, path in (("partenaires", "01-partenaires.csv"), ("regroupements", "03-regroupements.csv"), ("participations", "04-participations.csv")):
        assert file_import(IMPORTABLE[name](), (samples / path).read_bytes(), dry_run=False, user=administrator).saved
    data = (
        "regroupement;payé par;fournisseur;date;montant\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;100,00\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;15/06/2025;100.00 $\n"
    ).encode()
    report = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
    assert [(e.row, e.message) for e in report.errors] == [(3, "Cette ligne répète la ligne 2.")]
    assert not Expense.objects.exists()


def test_a_dry_run_of_expenses_posts_nothing(db, administrator):
    from pathlib import Path

    from ledger.imports import file_import
    from ledger.models import Transaction
    from portal.resources import IMPORTABLE

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for name, path in (("partenaires", "01-partenaires.csv"), ("regroupements", "03-regroupements.csv"), ("participations", "04-participations.csv")):
        file_import(IMPORTABLE[name](), (samples / path).read_bytes(), dry_run=False, user=administrator)
    report = file_import(IMPORTABLE["depenses"](), (samples / "05-depenses.csv").read_bytes(), dry_run=True, user=administrator)
    assert report.ok and report.created == 3
    assert not Transaction.objects.filter(kind="expense").exists()
