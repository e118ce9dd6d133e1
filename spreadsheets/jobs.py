"""A large spreadsheet imported in the background: keep the file, queue its import, read its progress.

:func:`import_job_start` keeps the file in an :class:`~spreadsheets.models.ImportJob`
and queues :func:`spreadsheets.tasks.run_import_job` once the job is
committed; the task runs :func:`spreadsheets.runs.import_job_run`. The run
lives beside the other import runs rather than here because this module
imports the task, and the task imports the run: so the imports go one way.
"""

from typing import Any

from django.utils import translation

from config.celery import queue_after_commit
from spreadsheets.models import ImportJob
from spreadsheets.reading import size_check
from spreadsheets.tasks import run_import_job

ASYNC_THRESHOLD = 1000  # rows above which a file is better imported as a job than while the person waits


def import_job_start(
    *, resource_key: str, data: bytes, filename: str, user: Any = None, dry_run: bool = False, erase_blanks: bool = False
) -> ImportJob:
    """Keep the file and queue the import of the resource that :mod:`spreadsheets.registry` names ``resource_key``.

    ``user`` is who imports: the job posts as them, so the services' role checks apply. The job's
    summary and errors are written in the language active now, the person's.
    """
    size_check(data)
    job = ImportJob.objects.create(
        created_by=user, resource=resource_key, filename=filename, content=data, dry_run=dry_run, erase_blanks=erase_blanks
    )
    queue_after_commit(run_import_job, job.pk, translation.get_language())
    return job


def job_progress(*, job: ImportJob) -> int:
    """Rows read so far, as the job's row says: the import writes them there every chunk (:mod:`spreadsheets.progress`)."""
    return ImportJob.objects.filter(pk=job.pk).values_list("processed_rows", flat=True).get()
