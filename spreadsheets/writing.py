"""Writing the CSV and XLSX files the product hands to people: one escaping rule, one dialect per language.

Every file the product writes (the imports' exports, the partners'
statement, the fairness review's workbook) goes through :func:`cell_safe`:
a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is never handed to a spreadsheet as a formula. In a CSV it gets a
leading apostrophe (imports remove it again); in an XLSX it is stored as a
string cell, as typed. Numbers stay numbers, negative or not.

A CSV for people opens by double-click in Excel: in French, separated by
semicolons with a decimal comma; in English by commas with a decimal point;
always UTF-8 with a BOM so accents read right. An XLSX has real numbers,
with a money format, and real dates.

A base module of the app: it knows no domain app and never imports
:mod:`spreadsheets.registry`.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal: str


FRENCH = Dialect(delimiter=";", decimal=",")
ENGLISH = Dialect(delimiter=",", decimal=".")


def dialect(language: str | None = None) -> Dialect:
    """The CSV dialect of the person's language: ``;`` and ``1234,56`` in French, ``,`` and ``1234.56`` in English."""
    language = (language or translation.get_language() or "fr").lower()
    return ENGLISH if language.startswith("en") else FRENCH


def is_formula_text(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def cell_safe(value: Any) -> Any:
    """A value for a CSV cell: text a spreadsheet would run as a formula gets an apostrophe; numbers stay numbers."""
    return "'" + value if is_formula_text(value) else value


def number_text(value: Decimal | int | float, chosen: Dialect) -> str:
    """A number as the dialect writes it, without thousands separators: ``-1234,56``."""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", chosen.decimal)


def csv_text(value: Any, chosen: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (Decimal, int, float)):
        return number_text(value, chosen)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(cell_safe(str(value)))


def csv_bytes(rows: Iterable[Iterable[Any]], language: str | None = None) -> bytes:
    """Rows as a CSV in the dialect of the person's language, UTF-8 with a BOM."""
    chosen = dialect(language)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=chosen.delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(value, chosen) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell_set(cell: Cell, value: Any) -> None:
    """Put a value in a cell: text as a string cell (never a formula), numbers with the money format, real dates."""
    if value is None:
        return
    if isinstance(value, datetime):
        cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        cell.number_format = DATE_FORMAT + " hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT if value.as_tuple().exponent == -2 else "General"
    elif isinstance(value, (int, float)):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # stored as typed: "=HYPERLINK(…)" is text, not a live formula


def sheet_append(sheet: Any, values: list[Any]) -> None:
    """``sheet.append(values)``, its text kept as text: openpyxl would store ``=HYPERLINK(…)`` as a live formula."""
    sheet.append(values)
    if values:
        for cell, value in zip(sheet[sheet.max_row], values):
            if isinstance(value, str):
                cell.data_type = "s"


def xlsx_bytes(rows: Iterable[Iterable[Any]], title: str = "") -> bytes:
    """Rows as a one-sheet workbook, the first row bold (the headers)."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title[:31]
    for number, row in enumerate(rows, 1):
        for index, value in enumerate(row, 1):
            cell = sheet.cell(row=number, column=index)
            xlsx_cell_set(cell, value)
            if number == 1:
                cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(name: str, fmt: str) -> str:
    """A file's name in the person's words, dated in local time: ``depenses-2026-11-30.csv``."""
    return f"{slugify(name) or 'export'}-{timezone.localdate().isoformat()}.{fmt}"


def file_bytes(rows: list[list[Any]], fmt: str, title: str = "") -> bytes:
    return xlsx_bytes(rows, title) if fmt == "xlsx" else csv_bytes(rows)


def download(rows: list[list[Any]], *, name: str, fmt: str) -> HttpResponse:
    """A file to download, named in the person's words and dated in local time."""
    response = HttpResponse(file_bytes(rows, fmt, name), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(name, fmt)}"'
    return response


def dataset_rows(dataset: Any) -> list[list[Any]]:
    """A tablib dataset's headers then rows, as lists."""
    return [list(dataset.headers or []), *[list(row) for row in dataset]]


def template_rows(resource: Any) -> tuple[list[str], list[Any]]:
    """A resource's import columns and its example row (``example``, by column), for a template file."""
    headers = [field.column_name for field in resource.get_import_fields() if not field.readonly]
    example = getattr(resource, "example", {})
    return headers, [example.get(header, "") for header in headers]
