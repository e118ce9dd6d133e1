import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from spreadsheets.reading import ImportFileError, table_read

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


def test_a_value_past_the_header_is_refused_naming_its_line_and_cell():
    data = "regroupement,payé par,fournisseur,date,montant,devise,description\r\n".encode("cp1252")
    data += "Soirées,Travail de rue,Bureau en gros,2025-06-15,CAD,Cartouches,1234,56\r\n".encode("cp1252")
    with pytest.raises(ImportFileError) as refused:
        table_read(data)
    assert refused.value.line == 2
    assert "H2" in str(refused.value) and "56" in str(refused.value)


def test_empty_cells_past_the_header_are_ignored():
    table = table_read(b"nom;valeur\r\nA;1;;\r\nB;2;\xc2\xa0;\r\n")
    assert [list(row) for row in table.dataset] == [["A", "1"], ["B", "2"]]


def test_a_blank_required_value_is_left_to_its_column_check():
    table = table_read(b"nom;valeur\r\n;1\r\n")
    assert list(table.dataset[0]) == ["", "1"]


def _workbook_bytes(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_a_hidden_row_is_refused_naming_it():
    book = Workbook()
    sheet = book.active
    for row in (["nom", "valeur"], ["A", 1], ["B", 2]):
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    with pytest.raises(ImportFileError) as refused:
        table_read(_workbook_bytes(book), "x.xlsx")
    assert refused.value.line == 3 and "3" in str(refused.value)


def test_a_hidden_sheet_holding_data_is_refused_naming_it():
    book = Workbook()
    book.active.append(["nom", "valeur"])
    secret = book.create_sheet("Brouillon")
    secret.append(["A", 1])
    secret.sheet_state = "hidden"
    with pytest.raises(ImportFileError, match="Brouillon"):
        table_read(_workbook_bytes(book), "x.xlsx")


def test_the_active_sheet_is_read_and_the_others_named_as_ignored():
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["à lire"])
    data = book.create_sheet("Dépenses")
    data.append(["nom", "valeur"])
    data.append(["A", 1])
    book.active = 1
    table = table_read(_workbook_bytes(book), "x.xlsx")
    assert [list(row) for row in table.dataset] == [["A", 1]]
    assert table.ignored_sheets == ["Notes"]


def test_a_formula_without_its_cached_value_is_refused_naming_the_cell():
    book = Workbook()
    sheet = book.active
    sheet.append(["nom", "valeur"])
    sheet.append(["A", "=1+2"])  # openpyxl, like some programs, saves formulas without their result
    with pytest.raises(ImportFileError, match="B2") as refused:
        table_read(_workbook_bytes(book), "x.xlsx")
    assert refused.value.line == 2


def test_a_cached_value_with_float_noise_reads_as_the_cell_shows_it():
    book = Workbook()
    sheet = book.active
    sheet.append(["nom", "valeur"])
    sheet.append(["A", 0.1 + 0.2])
    sheet.append(["B", 1234.56 * 3])
    table = table_read(_workbook_bytes(book), "x.xlsx")
    assert [row[1] for row in table.dataset] == [Decimal("0.3"), Decimal("3703.68")]


def test_excel_unicode_text_utf16_with_tabs_is_read():
    data = "\ufeffnom\tcatégorie\tsecteur\r\nÉcole des Hauts\tlibrary\tsud\r\n".encode("utf-16-le")
    assert data.startswith(b"\xff\xfe")
    table = table_read(data, "export.txt")
    assert table.dataset.headers == ["nom", "categorie", "secteur"]
    assert list(table.dataset[0]) == ["École des Hauts", "library", "sud"]


def test_a_tab_separated_utf8_file_is_read():
    table = table_read("nom\tcatégorie\tsecteur\nA\tlibrary\tsud\n".encode())
    assert list(table.dataset[0]) == ["A", "library", "sud"]


@pytest.mark.parametrize(
    "data, name",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "photo.csv"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "facture.csv"),
        (bytes(range(256)) * 100, "programme.csv"),
        (b"not a zip at all", "classeur.xlsx"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_one_short_message(data, name):
    with translation.override("fr-ca"), pytest.raises(ImportFileError) as refused:
        table_read(data, name)
    assert str(refused.value).startswith("Ce fichier n’est pas un tableur")
    assert len(str(refused.value)) < 100
