"""The daily task, its command and its schedule; a real worker on Redis and PostgreSQL."""

import io
import os
import threading
from datetime import date

import pytest
from celery.signals import task_postrun
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from grants.models import InstalmentStatus
from grants.tasks import TASK_NAME, post_due_disbursements, send_report_reminders
from ledger.models import Transaction, TransactionKind


@pytest.mark.django_db
def test_the_command_pays_what_is_due_on_the_date_given(make_grant):
    grant = make_grant()
    out = io.StringIO()
    call_command("post_due_disbursements", "--date", "2025-09-01", stdout=out)
    assert out.getvalue().strip() == "today=2025-09-01 paid=2 held=0 failed=0"
    assert list(grant.instalments.order_by("sequence").values_list("status", flat=True)) == ["paid", "paid", "scheduled"]
    call_command("post_due_disbursements", "--date", "2025-09-01", stdout=out)
    assert Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT).count() == 2


@pytest.mark.django_db
def test_the_task_is_a_thin_wrapper_around_the_service(make_grant):
    make_grant()
    assert post_due_disbursements.run("2025-06-01") == {
        "today": "2025-06-01",
        "paid": 1,
        "held": 0,
        "failed": 0,
        "failures": {},
    }
    assert post_due_disbursements.acks_late and post_due_disbursements.reject_on_worker_lost


@pytest.mark.django_db
def test_the_reminders_task_wraps_the_service(requirement, member):
    assert send_report_reminders("2025-08-16") == {"before": 0, "late": 1}


@pytest.mark.django_db
def test_the_schedule_is_made_once_however_often_the_command_runs():
    call_command("setup_schedules", stdout=io.StringIO())
    call_command("setup_schedules", "--hour", "5", stdout=io.StringIO())
    task = PeriodicTask.objects.get(task=TASK_NAME)
    assert task.task == TASK_NAME and task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("5", "0")
    assert str(task.crontab.timezone) == "America/Toronto"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_pays_a_due_instalment_once_even_when_the_task_comes_twice(make_grant):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    grant = make_grant()
    app.conf.broker_url = os.environ["REDIS_URL"]
    done = threading.Semaphore(0)

    def finished(sender=None, **kwargs) -> None:
        if sender is not None and sender.name == TASK_NAME:
            done.release()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            post_due_disbursements.delay("2025-06-01")
            post_due_disbursements.delay("2025-06-01")  # a duplicate delivery
            assert done.acquire(timeout=60) and done.acquire(timeout=60), "the worker did not run both tasks"
    finally:
        task_postrun.disconnect(finished)
    first = grant.instalments.get(sequence=1)
    assert first.status == InstalmentStatus.PAID
    assert first.transaction.idempotency_key == f"instalment:{first.pk}"
    assert Transaction.objects.filter(kind=TransactionKind.DISBURSEMENT).count() == 1
    assert grant.instalments.filter(status=InstalmentStatus.SCHEDULED).count() == 2
    assert date(2025, 6, 1) == first.transaction.date
