from unittest import mock

from django.utils import translation

from ledger.models import Party
from spreadsheets.jobs import import_job_start, job_progress
from spreadsheets.models import ImportJob
from spreadsheets.runs import import_job_run
from spreadsheets.tasks import run_import_job

HEADER = "nom;catégorie;secteur\n"


def _big_parties_file(rows: int, bad_row: int | None = None) -> bytes:
    lines = [HEADER.strip()]
    for number in range(rows):
        sector = "ouest" if number == bad_row else "sud"
        lines.append(f"Partenaire {number:05d};library;{sector}")
    return ("\n".join(lines) + "\n").encode()


def test_a_large_file_is_imported_by_a_job_that_keeps_progress_and_result(db, administrator, django_capture_on_commit_callbacks):
    with mock.patch.object(run_import_job, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(resource_key="partenaires", data=_big_parties_file(1500), filename="p.csv", user=administrator)
    delay.assert_called_once_with(job.pk, "fr-ca")
    assert job.status == "pending" and job.resource == "partenaires" and not Party.objects.exists()
    run_import_job.apply(args=[job.pk])
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "done" and job.total_rows == 1500 and job_progress(job=job) == 1500
    assert job.result["created"] == 1500 and job.result["errors"] == []
    assert Party.objects.count() == 1500
    assert run_import_job.apply(args=[job.pk]).get()["created"] == 1500  # run again: nothing more
    assert Party.objects.count() == 1500


def test_a_job_writes_its_summary_and_errors_in_the_language_of_who_started_it(db, administrator, django_capture_on_commit_callbacks):
    with mock.patch.object(run_import_job, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        with translation.override("en"):
            job = import_job_start(resource_key="partenaires", data=_big_parties_file(3, bad_row=1), filename="p.csv", user=administrator)
    delay.assert_called_once_with(job.pk, "en")
    result = run_import_job.apply(args=delay.call_args.args).get()
    assert result["summary"] == "1 error; nothing was saved."
    assert result["errors"][0]["message"] == "“ouest” is not one of the accepted values: “North”, “South”, “Centre”, “Whole territory”."
    assert translation.get_language() == "fr-ca"  # the worker's language is left as it was


def test_a_job_is_queued_only_once_its_transaction_commits(db, administrator, django_capture_on_commit_callbacks):
    with mock.patch.object(run_import_job, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = import_job_start(resource_key="partenaires", data=_big_parties_file(2), filename="p.csv", user=administrator)
        delay.assert_not_called()
        assert len(callbacks) == 1
        callbacks[0]()
        delay.assert_called_once_with(job.pk, "fr-ca")


def test_a_failed_job_keeps_its_errors_and_saves_nothing(db, administrator):
    job = ImportJob.objects.create(
        created_by=administrator, resource="partenaires", filename="p.csv", content=_big_parties_file(1200, bad_row=1100)
    )
    result = import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and result["errors"] == [{"row": 1102, "column": "secteur", "message": result["errors"][0]["message"]}]
    assert not Party.objects.exists()


def test_the_task_shares_the_delivery_policy_and_keeps_its_name():
    assert run_import_job.name == "ledger.run_import_job"
    assert run_import_job.acks_late is True and run_import_job.reject_on_worker_lost is True
