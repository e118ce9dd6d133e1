"""The import of a large spreadsheet: a thin wrapper around :func:`spreadsheets.runs.import_job_run`.

The job's import is one database transaction; a job already finished is not
run again, so a message delivered twice imports once.
"""

from celery import shared_task

from config.celery import AT_LEAST_ONCE
from spreadsheets.runs import import_job_run

# The name the messages already queued carry: it stayed when the task moved from the ledger.
TASK_NAME = "ledger.run_import_job"


@shared_task(name=TASK_NAME, **AT_LEAST_ONCE)
def run_import_job(job_id: int, language: str | None = None) -> dict[str, object]:
    return import_job_run(job_id=job_id, language=language)
