"""The admin's import and export buttons, on the project's readers and writers.

Each app's ``admin.py`` mixes :class:`SpreadsheetImportExportMixin` into the
admin of a model it lets staff import: its import screens are
:mod:`spreadsheets.admin_import`'s; its exports are written by
:mod:`spreadsheets.writing` (a CSV in the person's dialect, an XLSX with
typed cells), named in the person's words and dated in local time. Its
chooser of the columns to export names them in the person's language
(:mod:`spreadsheets.headers`); the file's headers stay the French ones the
imports read.
"""

from typing import Any

import tablib
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from django.utils.translation import gettext_lazy
from import_export.forms import SelectableFieldsExportForm

from spreadsheets.admin_import import SpreadsheetImportMixin
from spreadsheets.headers import header_label
from spreadsheets.writing import csv_bytes, dataset_rows, file_name, xlsx_bytes


class SpreadsheetCSV(base_formats.CSV):
    """A CSV for people: semicolons and decimal commas in French, commas and points in English, a BOM."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return csv_bytes(dataset_rows(dataset))


class SpreadsheetXLSX(base_formats.XLSX):
    """An XLSX whose amounts are numbers with a money format, whose dates are dates, and whose text is text."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return xlsx_bytes(dataset_rows(dataset))


FILE_TYPES = {"xlsx": gettext_lazy("Excel workbook (.xlsx)"), "csv": gettext_lazy("CSV file (.csv)")}
"""Each file type as people know it; tablib names it by its extension alone."""


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The columns to tick, named in the person's language rather than by the model's field names.

    The file's type is chosen in words of its own: the catalogue's "Format"
    is a meeting's (« formule »). XLSX comes first, as a spreadsheet opens it.
    """

    def __init__(self, formats: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        chosen = self.fields["format"]
        chosen.label = gettext_lazy("File type")
        offered = sorted((choice for choice in chosen.choices if choice[0]), key=lambda choice: choice[1] != "xlsx")
        chosen.choices = [(index, FILE_TYPES.get(title, title)) for index, title in offered]
        chosen.initial = chosen.choices[0][0]

    def _get_field_label(self, resource: Any, field_name: str) -> str:
        return header_label(resource().fields[field_name].column_name)


class SpreadsheetImportExportMixin(SpreadsheetImportMixin, ImportExportMixin):
    """Import from CSV or XLSX through the project's runs; export to either, written for people."""

    import_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    export_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    export_form_class = SpreadsheetExportForm

    def get_export_filename(self, request: Any, queryset: Any, file_format: Any) -> str:
        return file_name(str(self.opts.verbose_name_plural), file_format.get_extension())
