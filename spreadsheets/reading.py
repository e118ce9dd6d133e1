"""Reading a spreadsheet: the bytes of a file become rows with their line numbers.

:func:`table_read` turns the bytes of an XLSX file, or of a CSV separated by
commas, semicolons or tabs, in UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode text") or Windows-1252, into a
``tablib.Dataset`` whose headers are normalised and whose empty lines are
dropped; it remembers the line of the file each row came from, so that an
error names the row the person sees in their spreadsheet. Titles above the
header (lines of one value, or merged across the columns in a workbook) are
skipped; any other merged cell holding a value is refused, named, rather
than read half.

A base module of the app: it knows no domain app and never imports
:mod:`spreadsheets.registry`, so every app's ``resources.py`` may build on it.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import tablib
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

XLSX_MAGIC = b"PK\x03\x04"
# NUL and the control characters no spreadsheet's text holds; tab, line feed and carriage return are text
BINARY_CHARACTERS = frozenset(chr(code) for code in range(32) if chr(code) not in "\t\n\r")
BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")  # PDF, PNG, JPEG, GIF, old .xls
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class ImportFileError(ValueError):
    """The file cannot be read as a table (too big, not a spreadsheet, no header, a cell past the header).

    ``line`` is the line of the file the refusal is about (1, the header, when
    it is about the whole file).
    """

    def __init__(self, message: str, *, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def max_bytes() -> int:
    return getattr(settings, "IMPORT_EXPORT_MAX_FILE_BYTES", DEFAULT_MAX_BYTES)


def header_normalise(text: Any) -> str:
    """``Montant `` and ``montant`` are the same column; so are ``Catégorie`` and ``categorie``."""
    text = "" if text is None else str(text)
    text = text.replace("\ufeff", "").strip().casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).replace("_", " ").split())


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, (int, Decimal, date)):
        return value
    return str(value)


def not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(_("This file is not a spreadsheet: send an XLSX file, or a CSV."))


def _decode(data: bytes) -> str:
    """The text of a CSV: UTF-16 with its BOM (Excel's "Unicode text"), UTF-8 with or without BOM, else Windows-1252.

    A file holding NUL bytes or control characters after decoding is a
    binary file renamed (a PNG, a PDF, a program): it is refused in one
    short message rather than read as a header thousands of characters long.
    """
    if data.startswith(BINARY_SIGNATURES):
        raise not_a_spreadsheet()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_a_spreadsheet() from None
    elif data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise not_a_spreadsheet() from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if any(char in BINARY_CHARACTERS for char in text[:65536]):
        raise not_a_spreadsheet()
    return text.lstrip("\ufeff")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(("\t", ";", ","), key=lambda candidate: (first.count(candidate), candidate == ";"))
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def quoted(name: str) -> str:
    """A name between the quotation marks of the person's language: “Dépenses”, « Dépenses »."""
    return _("“%(name)s”") % {"name": name}


def _sheet_holds_data(sheet: Any) -> bool:
    return any(value not in (None, "") for row in sheet.iter_rows(values_only=True) for value in row)


def _float_cell(value: float) -> Decimal:
    """A number as the cell shows it: ``0.30000000000000004``, binary noise of a sum, reads ``0.3``.

    Nine places are more than any amount or measure needs and fewer than the
    noise; what is left with more than two places is refused by its column.
    """
    return Decimal(repr(round(value, 9)))


def _xlsx_rows(data: bytes) -> tuple[list[list[Any]], list[str]]:
    """The rows of the workbook's active sheet, and the names of the other sheets holding data, ignored.

    Read in normal mode, twice: once for the values the file keeps, once for
    its formulas, so that a formula saved without its result is refused
    rather than read as a blank; read-only mode would not tell a hidden row.
    """
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise not_a_spreadsheet() from None
    hidden = [sheet.title for sheet in values.worksheets if sheet.sheet_state != "visible" and _sheet_holds_data(sheet)]
    if hidden:
        raise ImportFileError(
            _("The sheet(s) %(sheets)s are hidden and hold data: show them, or delete them, then send the file again.")
            % {"sheets": ", ".join(quoted(name) for name in hidden)}
        )
    sheet = values.active
    ignored = [other.title for other in values.worksheets if other is not sheet and _sheet_holds_data(other)]
    formula_sheet = formulas[sheet.title]
    rows = []
    # From A1, not from the first cell holding data, so that lines and column letters are the sheet's own.
    for cells, formula_cells in zip(sheet.iter_rows(min_row=1, min_col=1), formula_sheet.iter_rows(min_row=1, min_col=1)):
        row = []
        for cell, formula_cell in zip(cells, formula_cells):
            if cell.value is None and formula_cell.data_type == "f":
                raise ImportFileError(
                    _(
                        "The cell %(cell)s holds a formula whose result the file does not keep. Open the file in Excel "
                        "or LibreOffice and save it again, or replace the formula by its value."
                    )
                    % {"cell": cell.coordinate},
                    line=cell.row,
                )
            row.append(_float_cell(cell.value) if isinstance(cell.value, float) else _cell(cell.value))
        line = cells[0].row if cells else len(rows) + 1
        if sheet.row_dimensions[line].hidden and any(str(value).strip() for value in row):
            raise ImportFileError(
                _("Line %(line)s is hidden in the sheet %(sheet)s: show it, or delete it, then send the file again.")
                % {"line": line, "sheet": quoted(sheet.title)},
                line=line,
            )
        rows.append(row)
    _merged_cells_check(sheet, rows)
    return rows, ignored


def _is_blank(value: Any) -> bool:
    return not str(value).strip()


def _merged_cells_check(sheet: Any, rows: list[list[Any]]) -> None:
    """Skip the merged titles above the header; refuse any other merged cell holding a value, naming it.

    A title merged across the columns above the header (``A1:F1``, "Dépenses
    de novembre") is what reports carry: its lines are emptied, and the
    header is the line below. A merged cell in the header or below it hides
    what the person sees: a header over two columns leaves the second one
    without a name, and a value merged over two lines reads on the first one
    only. It is refused rather than guessed. ``rows`` are the sheet's from A1.
    """
    merged = [area for area in sheet.merged_cells.ranges if not _is_blank(_value(rows, area.min_row, area.min_col))]
    if not merged:
        return
    header_line = 0
    for line, row in enumerate(rows, 1):
        if all(_is_blank(value) for value in row):
            continue
        title = next((area for area in merged if area.min_row == line and _is_title(area, rows)), None)
        if title is None:
            header_line = line
            break
        merged.remove(title)
        for title_line in range(title.min_row, title.max_row + 1):
            rows[title_line - 1] = []
    in_header = sorted((area for area in merged if area.min_row <= header_line), key=lambda area: (area.min_row, area.min_col))
    below = sorted((area for area in merged if area.min_row > header_line), key=lambda area: (area.min_row, area.min_col))
    if in_header:
        raise ImportFileError(
            _(
                "The cells %(cells)s of the header are merged: unmerge them and give each column its own header, "
                "then send the file again."
            )
            % {"cells": ", ".join(area.coord for area in in_header)},
            line=header_line,
        )
    if below:
        raise ImportFileError(
            _("The cells %(cells)s are merged: unmerge them and write the value in each cell, then send the file again.")
            % {"cells": ", ".join(area.coord for area in below)},
            line=below[0].min_row,
        )


def _value(rows: list[list[Any]], line: int, column: int) -> Any:
    row = rows[line - 1] if line <= len(rows) else []
    return row[column - 1] if column <= len(row) else ""


def _is_title(area: Any, rows: list[list[Any]]) -> bool:
    """A merged cell across columns whose lines hold nothing else: a title above the header."""
    if area.min_col == area.max_col:
        return False
    return all(
        area.min_col <= index <= area.max_col or _is_blank(value)
        for line in range(area.min_row, min(area.max_row, len(rows)) + 1)
        for index, value in enumerate(rows[line - 1], 1)
    )


@dataclass
class Table:
    dataset: tablib.Dataset
    lines: list[int]  # the line of the file of each row of the dataset
    ignored_sheets: list[str] = field(default_factory=list)  # other sheets of a workbook holding data, not read
    written_headers: list[str] = field(default_factory=list)  # the header cells as the person wrote them

    def __len__(self) -> int:
        return len(self.dataset)


def _megabytes(size: int) -> str:
    return number_format(size / 1024 / 1024, decimal_pos=1)


def size_check(data: bytes) -> None:
    """Refuse a file over the limit before reading it."""
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file weighs %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes())}
        )


def _past_header_check(row: list[Any], width: int, line: int) -> None:
    """Refuse a value past the header's last column: it would be lost, and it is often half an amount.

    ``…,CAD,Cartouches,1234,56`` in a comma-separated file is a French decimal
    split in two cells; reading the row to the header's width would import
    1 234,00 $. Empty cells past the header are what spreadsheet programs
    write, and are ignored.
    """
    for index in range(width, len(row)):
        if str(row[index]).strip():
            raise ImportFileError(
                _(
                    "The cell %(cell)s (“%(value)s”) is past the last column of the header. "
                    "If it is the cents of an amount, put the amount in quotes or separate the columns with semicolons."
                )
                % {"cell": f"{get_column_letter(index + 1)}{line}", "value": row[index]},
                line=line,
            )


def _header_index(numbered: list[tuple[int, list[Any]]]) -> int:
    """The header is the first line of two values or more: the lines of one value above it are titles.

    A report's title ("Dépenses de novembre 2025") or a note ("Préparé le
    3 décembre") typed in A1 above the header, without merging, is read as
    the merged titles are: skipped. A file of one column has its header on
    its first line.
    """
    for index, (_number, row) in enumerate(numbered):
        if sum(1 for cell in row if str(cell).strip()) > 1:
            return index
    return 0


def table_read(data: bytes, filename: str = "") -> Table:
    """The rows of an XLSX or CSV file, with their line numbers; empty lines dropped."""
    size_check(data)
    ignored: list[str] = []
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        rows, ignored = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    numbered = [(number, row) for number, row in enumerate(rows, 1) if any(str(cell).strip() for cell in row)]
    if not numbered:
        raise ImportFileError(_("The file is empty: it has no header line."))
    numbered = numbered[_header_index(numbered) :]
    header_line, header = numbered[0]
    headers = [header_normalise(cell) for cell in header]
    while headers and headers[-1] == "":
        headers.pop()
    dataset = tablib.Dataset(headers=headers)
    lines = []
    for number, row in numbered[1:]:
        row = [(cell.strip() if isinstance(cell, str) else cell) for cell in row]
        _past_header_check(row, len(headers), number)
        row = (row + [""] * len(headers))[: len(headers)]
        dataset.append(row)
        lines.append(number)
    written = [str(cell).strip() for cell in header[: len(headers)]]
    return Table(dataset=dataset, lines=lines, ignored_sheets=ignored, written_headers=written)
