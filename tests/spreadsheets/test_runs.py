from django.utils import translation
from moneyed import Money

from ledger.models import Party
from ledger.resources import PartyResource
from spreadsheets.runs import file_export
from spreadsheets.runs import file_import

HEADER = "nom;catégorie;secteur\n"


def test_a_50_mb_file_is_refused_before_it_is_read(db):
    report = file_import(PartyResource(), b"a" * (50 * 1024 * 1024 + 1), dry_run=False)
    assert not report.ok and report.errors[0].row == 1 and "50,0 Mo" in report.errors[0].message


def test_dry_run_saves_nothing_then_confirm_saves(db):
    data = (HEADER + "Bibliothèque de Saint-Jérôme;Bibliothèque;Sud\n").encode()
    report = file_import(PartyResource(), data, dry_run=True)
    assert report.ok and report.created == 1
    assert not Party.objects.exists()
    report = file_import(PartyResource(), data, dry_run=False)
    assert report.saved and Party.objects.get().kind == "library"


def test_one_wrong_row_saves_nothing_and_names_row_and_column(db):
    data = (HEADER + "Bibliothèque;library;sud\n\nPolice;police;ouest\n").encode()
    report = file_import(PartyResource(), data, dry_run=False)
    assert not Party.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(4, "secteur")]
    assert "Ligne 4, colonne «\xa0secteur\xa0»" in str(report.errors[0])


def test_wrong_and_missing_headers(db):
    report = file_import(PartyResource(), "nom;type de partenaire\nA;library\n".encode(), dry_run=False)
    columns = {e.column for e in report.errors}
    assert {"catégorie", "secteur", "type de partenaire"} <= columns
    assert not Party.objects.exists()


def test_errors_read_in_french(db):
    with translation.override("fr-ca"):
        report = file_import(PartyResource(), (HEADER + "A;library;ouest\n").encode(), dry_run=False)
    assert report.errors and report.errors[0].column == "secteur"


def test_a_french_decimal_split_by_commas_is_refused_not_truncated(db):
    data = "nom,catégorie,secteur\r\nBibliothèque,library,sud,1234,56\r\n".encode("cp1252")
    with translation.override("fr-ca"):
        report = file_import(PartyResource(), data, dry_run=False)
        message = str(report.errors[0])
    assert [(e.row, e.column) for e in report.errors] == [(2, "")]
    assert message.startswith("Ligne 2") and "D2" in message
    assert not Party.objects.exists()


def test_exports_write_amounts_and_dates_as_typed_cells_and_escape_formulas(db):
    import io
    from datetime import date
    from decimal import Decimal

    from openpyxl import load_workbook
    from sharedcosts.models import CostPool
    from sharedcosts.resources import CostPoolResource

    CostPool.objects.create(
        name="-1+cmd|' /C calc'!A0", kind="event", budgeted_cost=Money("3500.00", "CAD"), start_date=date(2025, 4, 1), end_date=date(2026, 3, 31)
    )
    sheet = load_workbook(io.BytesIO(file_export(CostPoolResource(), "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2])}
    assert (row["nom"].data_type, row["nom"].value) == ("s", "-1+cmd|' /C calc'!A0")
    assert (row["coût budgété"].value, row["coût budgété"].number_format) == (3500, "#,##0.00")
    assert row["début"].is_date
    with translation.override("fr-ca"):
        text = file_export(CostPoolResource()).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("'-1+cmd|' /C calc'!A0;event;3500,00;CAD;2025-04-01;2026-03-31")
    assert file_import(CostPoolResource(), file_export(CostPoolResource()), dry_run=True).skipped == 1
