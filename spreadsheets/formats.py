"""The admin's import and export buttons, reading files as :func:`spreadsheets.reading.table_read` does.

Each app's ``admin.py`` mixes :class:`SpreadsheetImportExportMixin` into the
admin of a model it lets staff import. A base module of the app: it knows no
domain app and never imports :mod:`spreadsheets.registry`.
"""

from typing import Any

import tablib
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from spreadsheets.reading import table_read


class SpreadsheetCSV(base_formats.CSV):
    """The admin's CSV: comma or semicolon, UTF-8 or Windows-1252, headers normalised."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        data = in_stream.encode() if isinstance(in_stream, str) else in_stream
        return table_read(data).dataset


class SpreadsheetXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        return table_read(in_stream, "file.xlsx").dataset


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Import from CSV or XLSX as :func:`spreadsheets.reading.table_read` reads them; export to either."""

    import_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]
