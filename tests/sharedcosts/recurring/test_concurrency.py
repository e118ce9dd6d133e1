"""Exactly once across processes: two runs at once, and a run killed halfway, as for the grants' instalments.

Each run is ``manage.py post_due_recurring_expenses`` in its own process, on
the test database (committed data: ``transaction=True``).
"""

import signal
import subprocess
import time

import psycopg
import pytest

from ledger.models import Entry, Transaction, TransactionKind
from ledger.selectors import account_balance
from sharedcosts.models import Expense
from sharedcosts.recurring.models import OccurrenceStatus, RecurringOccurrence
from sharedcosts.services import pool_cost_account
from tests.daily_runs import command_start, database_url, wait_for_backend_gone, waiting_on_a_lock

from ..conftest import cad

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RUN_DAY = "2026-03-31"
KILLED_APP = "recurring-killed-run"


def run_command(*args: str, app_name: str = "recurring-test-run") -> subprocess.Popen:
    return command_start("post_due_recurring_expenses", "--date", RUN_DAY, *args, app_name=app_name)


@pytest.fixture
def twenty_five_monthly_rents(make_schedule, party, other_party):
    """25 schedules of 100,00 $ from 30 April 2025: 300 occurrences due by 31 March 2026."""
    return [
        make_schedule(payer=party if number < 12 else other_party, vendor=f"Bailleur {number}", amount="100.00")
        for number in range(25)
    ]


def assert_each_posted_exactly_once(pool, total: int) -> None:
    occurrences = RecurringOccurrence.objects.all()
    assert occurrences.count() == total
    assert occurrences.filter(status=OccurrenceStatus.POSTED).count() == total
    expenses = Transaction.objects.filter(kind=TransactionKind.EXPENSE)
    assert expenses.count() == Expense.objects.count() == total
    assert Entry.objects.filter(transaction__kind=TransactionKind.EXPENSE).count() == 2 * total
    keys = set(expenses.values_list("idempotency_key", flat=True))
    assert keys == {occurrence.idempotency_key for occurrence in occurrences}
    assert set(occurrences.values_list("expense__transaction__idempotency_key", flat=True)) == keys
    assert account_balance(account=pool_cost_account(pool)) == cad(-100 * total)


def test_two_runs_at_once_post_each_of_300_occurrences_exactly_once(twenty_five_monthly_rents, joined):
    runs = [run_command("--chunk-size", "10") for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    planned = [int(out.split("planned=")[1].split()[0]) for out, _err in outputs]
    posted = [int(out.split("posted=")[1].split()[0]) for out, _err in outputs]
    assert sum(planned) == 300 and sum(posted) == 300, outputs
    assert_each_posted_exactly_once(joined, 300)


def test_a_run_killed_halfway_is_finished_by_the_next_and_posts_each_once(twenty_five_monthly_rents, joined):
    thirteenth = twenty_five_monthly_rents[12]
    # Begin (and never commit) a posting under the key of the thirteenth schedule's first occurrence: the run's
    # own insert of that key waits for it, in the middle of its sixth chunk, until it is killed.
    with psycopg.connect(database_url()) as lock:
        lock.execute(
            "INSERT INTO ledger_transaction (date, period_id, kind, memo, idempotency_key, request_hash, posted_at)"
            " VALUES ('2025-04-30', 2025, 'adjustment', '', %s, '', now())",
            [f"recurring:{thirteenth.pk}:2025-04-30"],
        )
        killed = run_command("--chunk-size", "25", app_name=KILLED_APP)
        try:
            deadline = time.monotonic() + 60
            while not waiting_on_a_lock(KILLED_APP):
                assert killed.poll() is None, killed.communicate()
                assert time.monotonic() < deadline, "the run never reached the held key"
                time.sleep(0.05)
        finally:
            killed.send_signal(signal.SIGKILL)
            killed.wait(timeout=30)
        lock.rollback()
    assert killed.returncode == -signal.SIGKILL
    wait_for_backend_gone(KILLED_APP)

    # All 300 planned (committed first); the twelve first schedules' 144 occurrences: five chunks posted, the sixth
    # rolled back.
    assert RecurringOccurrence.objects.count() == 300
    assert RecurringOccurrence.objects.filter(status=OccurrenceStatus.POSTED).count() == 125
    assert Transaction.objects.filter(kind=TransactionKind.EXPENSE).count() == Expense.objects.count() == 125

    again = run_command()
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "planned=0 posted=175 " in out
    assert_each_posted_exactly_once(joined, 300)


def test_a_run_killed_while_planning_leaves_nothing_half_planned(twenty_five_monthly_rents, joined):
    # Hold the lock of the last schedule: the run plans the others' chunk, then waits on it, and is killed.
    with psycopg.connect(database_url()) as lock:
        lock.execute("SELECT id FROM sharedcosts_recurringexpense WHERE id = %s FOR UPDATE", [twenty_five_monthly_rents[-1].pk])
        killed = run_command("--chunk-size", "20", app_name=KILLED_APP)
        try:
            deadline = time.monotonic() + 60
            while not waiting_on_a_lock(KILLED_APP):
                assert killed.poll() is None, killed.communicate()
                assert time.monotonic() < deadline, "the run never reached the held schedule"
                time.sleep(0.05)
        finally:
            killed.send_signal(signal.SIGKILL)
            killed.wait(timeout=30)
        lock.rollback()
    wait_for_backend_gone(KILLED_APP)
    assert RecurringOccurrence.objects.count() == 240  # the first chunk of twenty schedules, committed
    assert Transaction.objects.count() == 0

    again = run_command()
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "planned=60 posted=300 " in out
    assert_each_posted_exactly_once(joined, 300)
