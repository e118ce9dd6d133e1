"""Reading a spreadsheet: the bytes of a file become rows with their line numbers.

:func:`table_read` turns the bytes of an XLSX file, or of a CSV separated by
commas or semicolons, in UTF-8 (with or without BOM) or Windows-1252, into a
``tablib.Dataset`` whose headers are normalised and whose empty lines are
dropped; it remembers the line of the file each row came from, so that an
error names the row the person sees in their spreadsheet.

A base module of the app: it knows no domain app and never imports
:mod:`spreadsheets.registry`, so every app's ``resources.py`` may build on it.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
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
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, (int, Decimal, date)):
        return value
    return str(value)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not a spreadsheet that can be read (%(error)s).") % {"error": error}) from None
    sheet = workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


@dataclass
class Table:
    dataset: tablib.Dataset
    lines: list[int]  # the line of the file of each row of the dataset

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


def table_read(data: bytes, filename: str = "") -> Table:
    """The rows of an XLSX or CSV file, with their line numbers; empty lines dropped."""
    size_check(data)
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    numbered = [(number, row) for number, row in enumerate(rows, 1) if any(str(cell).strip() for cell in row)]
    if not numbered:
        raise ImportFileError(_("The file is empty: it has no header line."))
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
    return Table(dataset=dataset, lines=lines)
