import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from ledger.models import Party
from spreadsheets.models import ImportJob
from spreadsheets.progress import ProgressWriter
from spreadsheets.runs import import_job_run


def _seen_from_another_connection(job_id: int) -> int:
    with psycopg.connect(**connections[DEFAULT_DB_ALIAS].get_connection_params()) as other:
        return other.execute("SELECT processed_rows FROM ledger_importjob WHERE id = %s", [job_id]).fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_progress_is_in_the_jobs_row_every_chunk_while_the_import_runs(administrator, monkeypatch):
    rows = "\n".join(f"P{number:04d};library;sud" for number in range(250))
    job = ImportJob.objects.create(created_by=administrator, resource="partenaires", filename="p.csv", content=f"nom;catégorie;secteur\n{rows}\n".encode())
    seen = []
    write = ProgressWriter.__call__

    def spy(writer: ProgressWriter, count: int) -> None:
        write(writer, count)
        seen.append((count, _seen_from_another_connection(job.pk), Party.objects.count()))

    monkeypatch.setattr(ProgressWriter, "__call__", spy)
    import_job_run(job_id=job.pk)
    assert seen == [(100, 100, 100), (200, 200, 200)]  # committed for others while the import's rows are not
    assert ImportJob.objects.get(pk=job.pk).processed_rows == 250
