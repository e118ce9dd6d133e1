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
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult

from spreadsheets.error_report import ERROR_COLUMN
from spreadsheets.models import ImportJob, ImportJobStatus
from spreadsheets.progress import ProgressWriter
from spreadsheets.reading import ImportFileError, Table, header_normalise, table_read
from spreadsheets.registry import IMPORTABLE
from spreadsheets.writing import dataset_rows, file_bytes
from spreadsheets.reports import ImportReport, PreviewRow, RowError, error_messages

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
        if header not in known and header != ERROR_COLUMN  # an error report sent back, fixed
    ]
    return errors


ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("New"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Update"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Unchanged"),
}


def _rows_errors(resource: Any, table: Table, result: Any) -> list[RowError]:
    """Every error of an import, on the spreadsheet's line and under the column's header."""
    errors = [RowError(1, "", message) for error in result.base_errors for message in error_messages(error.error).get(NON_FIELD_ERRORS, [])]
    for number, row_errors in result.row_errors():
        for row_error in row_errors:
            for attribute, messages in error_messages(row_error.error).items():
                errors.extend(RowError(table.lines[number - 1], _column_of(resource, attribute), message) for message in messages)
    for invalid in result.invalid_rows:
        for attribute, messages in error_messages(invalid.error).items():
            errors.extend(RowError(table.lines[invalid.number - 1], _column_of(resource, attribute), message) for message in messages)
    return sorted(errors, key=lambda error: (error.row, error.column))


def _preview(resource: Any, table: Table, result: Any) -> list[PreviewRow]:
    rows = []
    for number, row_result in enumerate(result.rows, 1):
        before, after = resource.shown.get(number, ({}, {}))
        changes = {name: (before[name], value) for name, value in after.items() if before and before.get(name) != value}
        rows.append(PreviewRow(table.lines[number - 1], str(ACTIONS.get(row_result.import_type, "")), after, changes))
    return rows


def table_import(
    resource: Any,
    table: Table,
    *,
    dry_run: bool,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
    erase_blanks: bool = False,
    preview: bool = False,
) -> ImportReport:
    """Import every row of ``table`` with ``resource``, in one transaction, or nothing.

    A blank cell leaves the stored value of an existing row unless
    ``erase_blanks``; ``preview`` keeps each row's values and what an update
    changes (the admin shows them before the person confirms).
    """
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
    resource.erase_blanks = erase_blanks
    resource.keep_shown = preview
    with transaction.atomic():
        result = resource.import_data(
            table.dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, user=user
        )
        report.errors = _rows_errors(resource, table, result)
        if report.errors or dry_run:
            transaction.set_rollback(True)
    totals = result.totals
    report.created = totals.get(RowResult.IMPORT_TYPE_NEW, 0)
    report.updated = totals.get(RowResult.IMPORT_TYPE_UPDATE, 0)
    report.skipped = totals.get(RowResult.IMPORT_TYPE_SKIP, 0)
    report.already_imported = getattr(resource, "already_imported", 0)
    if getattr(resource._meta, "use_bulk", False) and report.already_imported:
        # a bulk resource finds the rows already posted when it writes its batch, after counting them new
        report.created -= report.already_imported
        report.skipped += report.already_imported
    if preview and not report.errors:
        report.columns = [f.column_name for f in resource.get_import_fields() if f.column_name in table.dataset.headers]
        report.preview = _preview(resource, table, result)
    return report


def file_import(
    resource: Any,
    data: bytes,
    filename: str = "",
    *,
    dry_run: bool,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
    erase_blanks: bool = False,
) -> ImportReport:
    """Read then import a file; a file that cannot be read is one error on row 1."""
    try:
        table = table_read(data, filename)
    except ImportFileError as error:
        report = ImportReport(dry_run=dry_run)
        report.errors.append(RowError(error.line, "", str(error)))
        return report
    return table_import(resource, table, dry_run=dry_run, user=user, progress=progress, erase_blanks=erase_blanks)


def file_export(resource: Any, fmt: str = "csv", queryset: Any = None) -> bytes:
    """A resource's rows as CSV in the person's dialect (:mod:`spreadsheets.writing`) or as XLSX with typed cells."""
    return file_bytes(dataset_rows(resource.export(queryset)), fmt)


def import_job_run(*, job_id: int, language: str | None = None) -> dict[str, Any]:
    """Import a kept file, all or nothing, keeping its progress and its result; safe to run again.

    The job imports as the person who started it, so the services check their role, and
    writes its summary and errors in their ``language`` (the site's when none is given).
    """
    with translation.override(language):
        return _job_run(job_id)


def _job_run(job_id: int) -> dict[str, Any]:
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED):
        return job.result
    resource = IMPORTABLE[job.resource]()
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        table = table_read(bytes(job.content), job.filename)
    except ImportFileError as error:
        report = ImportReport(dry_run=job.dry_run, errors=[RowError(error.line, "", str(error))])
    else:
        job.total_rows = len(table)
        job.save(update_fields=["total_rows"])
        with ProgressWriter(job.pk) as progress:
            report = table_import(
                resource, table, dry_run=job.dry_run, user=job.created_by, progress=progress, erase_blanks=job.erase_blanks
            )
    job.processed_rows = job.total_rows
    job.result = {**report.as_dict(), "summary": report.summary()}
    job.status = ImportJobStatus.DONE if report.ok else ImportJobStatus.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["processed_rows", "result", "status", "finished_at"])
    return job.result
