import io
from datetime import date
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from spreadsheets.writing import cell_safe, csv_bytes, file_name, xlsx_bytes

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"]


def test_every_text_a_spreadsheet_would_run_gets_an_apostrophe_and_numbers_stay_numbers():
    assert [cell_safe(text) for text in DANGEROUS] == ["'" + text for text in DANGEROUS]
    assert cell_safe(Decimal("-12.50")) == Decimal("-12.50")
    assert cell_safe(-3) == -3
    assert cell_safe("Bibliothèque") == "Bibliothèque"


def test_a_csv_in_french_has_semicolons_decimal_commas_and_a_bom():
    with translation.override("fr-ca"):
        data = csv_bytes([["nom", "montant"], ["-1+cmd|x", Decimal("-1234.56")]])
    assert data == "\ufeffnom;montant\r\n'-1+cmd|x;-1234,56\r\n".encode()


def test_a_csv_in_english_has_commas_and_decimal_points():
    with translation.override("en"):
        data = csv_bytes([["name", "amount"], ["A", Decimal("1234.56")], ["B", date(2026, 4, 1)]])
    assert data == "\ufeffname,amount\r\nA,1234.56\r\nB,2026-04-01\r\n".encode()


def test_an_xlsx_stores_formulas_as_text_and_amounts_and_dates_as_typed_cells():
    data = xlsx_bytes([["nom", "montant", "date"], ['=HYPERLINK("http://evil.example","x")', Decimal("3500.00"), date(2026, 4, 1)]])
    sheet = load_workbook(io.BytesIO(data)).active
    name, amount, day = sheet[2]
    assert (name.data_type, name.value) == ("s", '=HYPERLINK("http://evil.example","x")')
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 3500, "#,##0.00")
    assert day.is_date and day.value.date() == date(2026, 4, 1)


def test_a_file_is_named_in_words_and_dated_in_local_time(settings):
    settings.TIME_ZONE = "America/Toronto"
    assert file_name("Dépenses", "csv").startswith("depenses-") and file_name("Dépenses", "csv").endswith(".csv")
