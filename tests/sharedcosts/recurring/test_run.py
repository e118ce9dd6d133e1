"""The daily run: each due occurrence posted once as an expense of the pool, catch-up, refusals per occurrence."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from config.celery import RECURRING_EXPENSES_TASK
from ledger.models import Transaction, TransactionKind
from ledger.selectors import account_balance
from sharedcosts.errors import RecurringError
from sharedcosts.models import Expense, Participation
from sharedcosts.recurring.models import OccurrenceStatus, RecurringOccurrence, Rhythm
from sharedcosts.recurring.run import recurring_post_due
from sharedcosts.selectors import pool_balances
from sharedcosts.services import pool_cost_account
from sharedcosts.tasks import post_due_recurring_expenses

from ..conftest import cad
from ..services.helpers import assert_not_staff
from .conftest import occurrences, written

pytestmark = pytest.mark.django_db

POSTED = OccurrenceStatus.POSTED


def test_each_due_rent_is_posted_once_as_an_expense_of_the_pool_paid_by_the_payer(make_schedule, joined, party):
    rent = make_schedule(start_date=date(2025, 5, 31))
    run = recurring_post_due(today=date(2025, 9, 30))
    assert (run.planned, run.posted, run.failed) == (5, 5, 0)
    assert occurrences(rent) == [
        (date(2025, 5, 31), cad("1000.00"), POSTED),
        (date(2025, 6, 30), cad("1000.00"), POSTED),
        (date(2025, 7, 31), cad("1000.00"), POSTED),
        (date(2025, 8, 31), cad("1000.00"), POSTED),
        (date(2025, 9, 30), cad("1000.00"), POSTED),
    ]
    expense = rent.occurrences.get(date=date(2025, 8, 31)).expense
    assert (expense.pool, expense.payer, expense.vendor, expense.date, expense.amount) == (
        joined, party, "Immeubles Labelle inc.", date(2025, 8, 31), cad("1000.00"),
    )
    assert expense.transaction.kind == TransactionKind.EXPENSE
    assert set(Transaction.objects.values_list("idempotency_key", flat=True)) == {
        f"recurring:{rent.pk}:{day}" for day in ["2025-05-31", "2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30"]
    }
    assert account_balance(account=pool_cost_account(joined)) == cad("-5000.00")
    assert pool_balances(pool=joined)[party.pk] == cad("5000.00")

    again = recurring_post_due(today=date(2025, 9, 30))
    assert (again.planned, again.posted, again.failed) == (0, 0, 0)
    assert (Expense.objects.count(), Transaction.objects.count()) == (5, 5)


def test_days_missed_while_the_scheduler_was_down_are_caught_up_and_nothing_early(make_schedule):
    rent = make_schedule()
    assert recurring_post_due(today=date(2025, 6, 29)).posted == 2
    assert recurring_post_due(today=date(2025, 10, 1)).posted == 4
    assert [day for day, _amount, _status in occurrences(rent)] == [
        date(2025, 4, 30), date(2025, 5, 30), date(2025, 6, 30), date(2025, 7, 30), date(2025, 8, 30), date(2025, 9, 30),
    ]
    assert recurring_post_due(today=date(2025, 4, 1)).posted == 0


def test_a_yearly_insurance_on_29_february_is_posted_on_28_february_and_indexed_each_1_april(make_schedule):
    insurance = make_schedule(
        vendor="Promutuel Assurance", amount="2400.00", rhythm=Rhythm.YEARLY, start_date=date(2024, 2, 29), indexation_rate="0.03"
    )
    assert recurring_post_due(today=date(2028, 3, 1)).posted == 5
    assert occurrences(insurance) == [
        (date(2024, 2, 29), cad("2400.00"), POSTED),
        (date(2025, 2, 28), cad("2472.00"), POSTED),
        (date(2026, 2, 28), cad("2546.16"), POSTED),
        (date(2027, 2, 28), cad("2622.54"), POSTED),  # 2 622,544 8
        (date(2028, 2, 29), cad("2701.22"), POSTED),  # 2 701,216 2
    ]
    assert list(Expense.objects.order_by("date").values_list("date", flat=True))[-1] == date(2028, 2, 29)


def test_a_refused_occurrence_fails_with_its_reason_while_the_others_are_posted_and_is_tried_again(make_schedule):
    # The fiscal year 2022-2023 is not open: February and March 2023 are refused, April 2023 is posted.
    early = make_schedule(start_date=date(2023, 2, 28))
    run = recurring_post_due(today=date(2023, 4, 30), chunk_size=10)
    assert (run.posted, run.failed) == (1, 2)
    failed = early.occurrences.get(date=date(2023, 2, 28))
    assert failed.status == OccurrenceStatus.FAILED
    assert "2022" in failed.note and run.failures[failed.pk] == failed.note
    assert failed.history.first().status == OccurrenceStatus.FAILED
    assert Expense.objects.count() == 1
    assert recurring_post_due(today=date(2023, 4, 30)).failed == 2


def test_a_payer_who_left_the_pool_makes_its_occurrences_fail_not_the_others(make_schedule, other_party, joined):
    leaving = make_schedule(payer=other_party, vendor="Assurances")
    staying = make_schedule()
    Participation.objects.filter(pool=joined, party=other_party).delete()
    run = recurring_post_due(today=date(2025, 5, 30))
    assert (run.posted, run.failed) == (2, 2)
    assert set(leaving.occurrences.values_list("status", flat=True)) == {OccurrenceStatus.FAILED}
    assert leaving.occurrences.first().note == "Travail de rue Laurentides ne participe pas au regroupement Locaux partagés."
    assert set(staying.occurrences.values_list("status", flat=True)) == {POSTED}


def test_a_schedule_not_started_or_ended_posts_nothing_outside_its_days(make_schedule):
    make_schedule(start_date=date(2025, 10, 31))
    make_schedule(vendor="Déneigement", start_date=date(2025, 4, 30), end_date=date(2025, 5, 31))
    run = recurring_post_due(today=date(2025, 9, 30))
    assert (run.planned, run.posted) == (2, 2)


def test_a_person_who_runs_it_by_hand_is_named_and_must_be_staff(make_schedule, finance_user, partner_member):
    make_schedule()
    before = written()
    with pytest.raises(RecurringError) as refused:
        recurring_post_due(today=date(2025, 5, 30), run_by=partner_member)
    assert_not_staff(refused.value)
    assert written() == before
    recurring_post_due(today=date(2025, 5, 30), run_by=finance_user)
    assert set(Transaction.objects.values_list("posted_by", flat=True)) == {finance_user.pk}
    assert RecurringOccurrence.history.filter(history_type="~").first().history_user == finance_user


def test_the_scheduler_posts_as_nobody_like_the_disbursements(make_schedule):
    make_schedule()
    recurring_post_due(today=date(2025, 4, 30))
    assert list(Transaction.objects.values_list("posted_by", flat=True)) == [None]


def test_the_command_posts_what_is_due_on_the_date_given(make_schedule):
    make_schedule()
    out = io.StringIO()
    call_command("post_due_recurring_expenses", "--date", "2025-06-30", stdout=out)
    assert out.getvalue().strip() == "today=2025-06-30 planned=3 posted=3 failed=0"


def test_the_task_is_a_thin_wrapper_around_the_service(make_schedule):
    make_schedule()
    assert post_due_recurring_expenses.run("2025-05-30") == {
        "today": "2025-05-30",
        "planned": 2,
        "posted": 2,
        "failed": 0,
        "failures": {},
    }
    assert post_due_recurring_expenses.acks_late and post_due_recurring_expenses.reject_on_worker_lost


def test_setup_schedules_adds_the_daily_recurring_run_once():
    call_command("setup_schedules", stdout=io.StringIO())
    call_command("setup_schedules", "--hour", "5", stdout=io.StringIO())
    task = PeriodicTask.objects.get(task=RECURRING_EXPENSES_TASK)
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("5", "0")
