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


def _expenses_sheet(title_rows: int = 0):
    """A sheet as Excel writes a report: ``title_rows`` lines of merged titles, then the header and two expenses."""
    book = Workbook()
    sheet = book.active
    titles = ["Dépenses de novembre 2025", "Regroupement Soirées 16-25 ans"][:title_rows]
    for title in titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
    sheet.append(["regroupement", "payé par", "date", "montant", "devise"])
    sheet.append(["Soirées", "Travail de rue Laurentides", "2025-11-03", 120.5, "CAD"])
    sheet.append(["Soirées", "Maison des jeunes", "2025-11-04", 80, "CAD"])
    return book, sheet


def test_merged_titles_above_the_header_are_skipped_and_lines_keep_the_sheets_numbers():
    book, _ = _expenses_sheet(title_rows=2)
    table = table_read(_workbook_bytes(book), "depenses.xlsx")
    assert table.dataset.headers == ["regroupement", "paye par", "date", "montant", "devise"]
    assert table.lines == [4, 5]
    assert [row[1] for row in table.dataset] == ["Travail de rue Laurentides", "Maison des jeunes"]
    assert table.dataset[0][3] == Decimal("120.5")


def test_a_title_merged_over_two_lines_is_skipped():
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Dépenses de novembre 2025"
    sheet.merge_cells("A1:E2")
    for line, values in ((3, ["regroupement", "payé par", "date", "montant", "devise"]), (4, ["Soirées", "Travail de rue", "2025-11-03", 120.5, "CAD"])):
        for column, value in enumerate(values, 1):
            sheet.cell(row=line, column=column, value=value)
    table = table_read(_workbook_bytes(book), "depenses.xlsx")
    assert table.dataset.headers[0] == "regroupement" and table.lines == [4]


def test_titles_typed_above_the_header_without_merging_are_skipped():
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Dépenses de novembre 2025"
    sheet["B2"] = "Préparé le 3 décembre par l’équipe des finances"
    for values in (["regroupement", "payé par", "date", "montant", "devise"], ["Soirées", "Travail de rue", "2025-11-03", 120.5, "CAD"]):
        sheet.append(values)
    table = table_read(_workbook_bytes(book), "depenses.xlsx")
    assert table.dataset.headers == ["regroupement", "paye par", "date", "montant", "devise"]
    assert table.lines == [4]


def test_a_title_line_of_a_csv_as_excel_saves_it_is_skipped():
    data = "Dépenses de novembre 2025;;;;\r\n;;;;\r\nregroupement;payé par;date;montant;devise\r\nSoirées;Travail de rue;2025-11-03;120,50;CAD\r\n"
    table = table_read(data.encode("cp1252"), "depenses.csv")
    assert table.dataset.headers[:2] == ["regroupement", "paye par"]
    assert table.lines == [4]
    assert table.dataset[0][3] == "120,50"


def test_a_file_of_one_column_keeps_its_first_line_as_header():
    table = table_read("nom\r\nMaison des jeunes\r\nTravail de rue\r\n".encode(), "partenaires.csv")
    assert table.dataset.headers == ["nom"]
    assert table.lines == [2, 3]


def test_a_header_cell_merged_over_two_columns_is_refused_naming_the_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(["regroupement", "payé par", "date", "montant", None])
    sheet.merge_cells("D1:E1")
    sheet.append(["Soirées", "Travail de rue Laurentides", "2025-11-03", 120, 50])
    with translation.override("fr-ca"), pytest.raises(ImportFileError) as refused:
        table_read(_workbook_bytes(book), "depenses.xlsx")
    assert str(refused.value) == (
        "Les cellules D1:E1 de l’en-tête sont fusionnées\u00a0: séparez-les et donnez à chaque colonne son propre "
        "en-tête, puis envoyez le fichier de nouveau."
    )
    assert refused.value.line == 1


def test_a_merged_title_beside_other_cells_is_part_of_the_header_and_refused_in_english():
    book = Workbook()
    sheet = book.active
    sheet.append(["Dépenses", None, "date", "montant"])
    sheet.merge_cells("A1:B1")
    sheet.append(["Soirées", "Travail de rue Laurentides", "2025-11-03", 120])
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        table_read(_workbook_bytes(book), "depenses.xlsx")
    assert str(refused.value) == (
        "The cells A1:B1 of the header are merged: unmerge them and give each column its own header, then send the file again."
    )


def test_a_value_merged_over_two_lines_below_the_header_is_refused_naming_its_cells_and_line():
    book, sheet = _expenses_sheet(title_rows=1)
    sheet.merge_cells("A3:A4")
    with translation.override("fr-ca"), pytest.raises(ImportFileError) as refused:
        table_read(_workbook_bytes(book), "depenses.xlsx")
    assert str(refused.value) == (
        "Les cellules A3:A4 sont fusionnées\u00a0: séparez-les et écrivez la valeur dans chaque cellule, "
        "puis envoyez le fichier de nouveau."
    )
    assert refused.value.line == 3


def test_empty_merged_cells_below_the_data_hide_nothing_and_are_read_as_empty():
    book, sheet = _expenses_sheet()
    sheet.merge_cells("A6:E7")
    table = table_read(_workbook_bytes(book), "depenses.xlsx")
    assert table.lines == [2, 3]
