"""Reading a spreadsheet and importing it, all or nothing.

:func:`table_read` turns the bytes of an XLSX file, or of a CSV separated by
commas or semicolons, in UTF-8 (with or without BOM) or Windows-1252, into a
``tablib.Dataset`` whose headers are normalised and whose empty lines are
dropped; it remembers the line of the file each row came from, so that an
error names the row the person sees in their spreadsheet.

:func:`file_import` runs a django-import-export resource over it in one
database transaction: a dry run (or any error on any row) rolls everything
back. Its :class:`ImportReport` says what would be, or was, created, and
every error as (row, column, message), translated.
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.results import RowResult

XLSX_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class ImportFileError(ValueError):
    """The file cannot be read at all (too big, not a spreadsheet, no header)."""


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
    from openpyxl import load_workbook

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


def _check_size(data: bytes) -> None:
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file weighs %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes())}
        )


def table_read(data: bytes, filename: str = "") -> Table:
    """The rows of an XLSX or CSV file, with their line numbers; empty lines dropped."""
    _check_size(data)
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
        row = (row + [""] * len(headers))[: len(headers)]
        dataset.append(row)
        lines.append(number)
    return Table(dataset=dataset, lines=lines)


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


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    already_imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "already_imported": self.already_imported,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }

    def summary(self) -> str:
        if self.errors:
            return _("%(count)d error(s); nothing was saved.") % {"count": len(self.errors)}
        if self.dry_run:
            text = _("Dry run: %(created)d row(s) would be created, %(updated)d updated, %(skipped)d unchanged.")
        else:
            text = _("Imported: %(created)d row(s) created, %(updated)d updated, %(skipped)d unchanged.")
        text = text % {"created": self.created, "updated": self.updated, "skipped": self.skipped}
        if self.already_imported:
            text += " " + _("%(count)d row(s) had already been imported and were not posted again.") % {
                "count": self.already_imported
            }
        return text


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def _column_of(resource: Any, attribute: str) -> str:
    for resource_field in resource.get_import_fields():
        if attribute in (resource_field.attribute, resource_field.column_name):
            return resource_field.column_name
    return "" if attribute == "__all__" else attribute


def headers_check(resource: Any, headers: list[str]) -> list[RowError]:
    """Missing and unknown columns, named as the resource names them."""
    known = {resource_field.column_name for resource_field in resource.get_import_fields()}
    required = set(getattr(resource, "required_columns", ()))
    errors = [
        RowError(1, column, _("This column is missing."))
        for column in sorted(required - set(headers))
    ]
    errors += [
        RowError(1, header or "?", _("Unknown column; the accepted columns are: %(columns)s.") % {"columns": ", ".join(sorted(known))})
        for header in headers
        if header not in known
    ]
    return errors


def table_import(
    resource: Any,
    table: Table,
    *,
    dry_run: bool,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every row of ``table`` with ``resource``, in one transaction, or nothing."""
    report = ImportReport(dry_run=dry_run, total=len(table))
    by_normal = {header_normalise(f.column_name): f.column_name for f in resource.get_import_fields()}
    table.dataset.headers = [by_normal.get(header, header) for header in table.dataset.headers or []]
    report.errors = headers_check(resource, table.dataset.headers)
    if report.errors:
        return report
    for name in [name for name in resource.get_import_id_fields() if name in resource.fields]:
        wanted = resource.fields[name].column_name
        if wanted not in table.dataset.headers:
            if len(table.dataset):
                table.dataset.append_col([""] * len(table.dataset), header=wanted)
            else:
                table.dataset.headers = [*table.dataset.headers, wanted]
    resource.line_numbers = table.lines
    resource.import_user = user
    resource.progress = progress
    with transaction.atomic():
        result = resource.import_data(
            table.dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, user=user
        )
        for error in result.base_errors:
            report.errors.extend(RowError(1, "", message) for message in _messages(error.error))
        for number, row_errors in result.row_errors():
            line = table.lines[number - 1]
            for row_error in row_errors:
                report.errors.extend(RowError(line, "", message) for message in _messages(row_error.error))
        for invalid in result.invalid_rows:
            line = table.lines[invalid.number - 1]
            for attribute, messages in invalid.error_dict.items():
                for message in messages:
                    report.errors.append(RowError(line, _column_of(resource, attribute), message))
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda error: (error.row, error.column))
    totals = result.totals
    report.created = totals.get(RowResult.IMPORT_TYPE_NEW, 0)
    report.updated = totals.get(RowResult.IMPORT_TYPE_UPDATE, 0)
    report.skipped = totals.get(RowResult.IMPORT_TYPE_SKIP, 0)
    report.already_imported = getattr(resource, "already_imported", 0)
    if getattr(resource._meta, "use_bulk", False) and report.already_imported:
        # a bulk resource finds the rows already posted when it writes its batch, after counting them new
        report.created -= report.already_imported
        report.skipped += report.already_imported
    if not report.errors:
        for row_result in result.rows[:20]:
            report.preview.append({"import_type": row_result.import_type, "object": row_result.object_repr})
    return report


def file_import(
    resource: Any,
    data: bytes,
    filename: str = "",
    *,
    dry_run: bool,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read then import a file; a file that cannot be read is one error on row 1."""
    try:
        table = table_read(data, filename)
    except ImportFileError as error:
        report = ImportReport(dry_run=dry_run)
        report.errors.append(RowError(1, "", str(error)))
        return report
    return table_import(resource, table, dry_run=dry_run, user=user, progress=progress)


def dataset_export(resource: Any, queryset: Any = None) -> tablib.Dataset:
    return resource.export(queryset)


def file_export(resource: Any, fmt: str = "csv", queryset: Any = None) -> bytes:
    """A resource's rows as CSV (semicolons, UTF-8 with BOM, so Excel in French opens it) or XLSX."""
    dataset = dataset_export(resource, queryset)
    if fmt == "xlsx":
        return dataset.export("xlsx")
    text = dataset.export("csv", delimiter=";")
    return ("\ufeff" + text).encode("utf-8")


# -- large files: a background job --------------------------------------------------------

ASYNC_THRESHOLD = 1000


def job_progress(job: Any) -> int:
    """Rows read so far: live from the cache while the job runs (its transaction is not committed yet)."""
    from django.core.cache import cache

    live = cache.get(job.progress_key)
    return max(job.processed_rows, live or 0)


def import_job_start(*, resource_path: str, data: bytes, filename: str, user: Any = None, dry_run: bool = False) -> Any:
    """Keep the file and queue its import; the Celery task runs :func:`import_job_run`."""
    from ledger.models import ImportJob
    from ledger.tasks import run_import_job

    _check_size(data)
    job = ImportJob.objects.create(
        created_by=user, resource=resource_path, filename=filename, content=data, dry_run=dry_run
    )
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def import_job_run(job_id: int) -> dict[str, Any]:
    """Import a kept file, all or nothing, keeping its progress and its result; safe to run again."""
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from ledger.models import ImportJob, ImportJobStatus

    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED):
        return job.result
    resource = import_string(job.resource)()
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status"])

    def progress(rows: int) -> None:
        cache.set(job.progress_key, rows, timeout=24 * 3600)

    try:
        table = table_read(bytes(job.content), job.filename)
    except ImportFileError as error:
        report = ImportReport(dry_run=job.dry_run, errors=[RowError(1, "", str(error))])
    else:
        job.total_rows = len(table)
        job.save(update_fields=["total_rows"])
        report = table_import(resource, table, dry_run=job.dry_run, user=job.created_by, progress=progress)
    job.processed_rows = job.total_rows
    job.result = {**report.as_dict(), "summary": report.summary()}
    job.status = ImportJobStatus.DONE if report.ok else ImportJobStatus.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["processed_rows", "result", "status", "finished_at"])
    cache.delete(job.progress_key)
    return job.result


def importable_resources() -> dict[str, str]:
    """Every importable resource of the installed apps, by dotted path, with its model's name."""
    from importlib import import_module

    from django.apps import apps

    from ledger.resources import SpreadsheetResource

    found: dict[str, str] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.resources")
        except ImportError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, SpreadsheetResource)
                and value.__module__ == module.__name__
                and getattr(value, "importable", True)
                and getattr(value._meta, "model", None) is not None
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = str(value._meta.model._meta.verbose_name_plural)
    return found


def _admin_mixin() -> type:
    from import_export.admin import ImportExportMixin

    class SpreadsheetImportExportMixin(ImportExportMixin):
        """The admin's import and export buttons, reading files as :func:`table_read` does."""

        import_formats = [SpreadsheetCSV, SpreadsheetXLSX]
        export_formats = [base_formats.CSV, base_formats.XLSX]

    return SpreadsheetImportExportMixin


SpreadsheetImportExportMixin = _admin_mixin()
