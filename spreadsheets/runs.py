"""Importing a spreadsheet, all or nothing, and exporting one.

:func:`file_import` reads a file (:mod:`spreadsheets.reading`) and runs a
django-import-export resource over it in one database transaction: a dry
run (or any error on any row) rolls everything back. Its
:class:`ImportReport` says what would be, or was, created, and every error
as (row, column, message), translated. :func:`import_job_run` does the same
for a file kept by a background job (:mod:`spreadsheets.jobs`), keeping its
progress and its result in the job. :func:`file_export` writes a resource's
rows as CSV or XLSX.

A job names its resource by its key in :mod:`spreadsheets.registry`, the
only way this module reaches a domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from spreadsheets.models import ImportJob, ImportJobStatus
from spreadsheets.reading import ImportFileError, Table, header_normalise, quoted, table_read
from spreadsheets.registry import IMPORTABLE

PROGRESS_KEPT_SECONDS = 24 * 3600


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
    ignored_sheets: list[str] = field(default_factory=list)
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
            "ignored_sheets": self.ignored_sheets,
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
        if self.ignored_sheets:
            text += " " + _("Only the active sheet was read; these sheets were ignored: %(sheets)s.") % {
                "sheets": ", ".join(quoted(name) for name in self.ignored_sheets)
            }
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
    report = ImportReport(dry_run=dry_run, total=len(table), ignored_sheets=table.ignored_sheets)
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
        report.errors.append(RowError(error.line, "", str(error)))
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


def import_job_run(*, job_id: int) -> dict[str, Any]:
    """Import a kept file, all or nothing, keeping its progress and its result; safe to run again."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED):
        return job.result
    resource = IMPORTABLE[job.resource]()
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status"])

    def progress(rows: int) -> None:
        # the import's transaction is not committed yet: the rows read so far go through the cache
        cache.set(job.progress_key, rows, timeout=PROGRESS_KEPT_SECONDS)

    try:
        table = table_read(bytes(job.content), job.filename)
    except ImportFileError as error:
        report = ImportReport(dry_run=job.dry_run, errors=[RowError(error.line, "", str(error))])
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
