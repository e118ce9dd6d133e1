"""The next occurrences of a schedule, those of every schedule over some months, and a pool's recurring total."""

from datetime import date

import pytest

from sharedcosts.recurring.models import Rhythm
from sharedcosts.recurring.run import recurring_post_due
from sharedcosts.recurring.selectors import pool_recurring_budget, recurring_between, recurring_next
from sharedcosts.recurring.services import recurring_amend, recurring_end, recurring_pause

from ..conftest import cad

pytestmark = pytest.mark.django_db


def test_the_next_occurrences_come_with_their_amounts_and_stop_at_a_pause(make_schedule, finance_user):
    rent = make_schedule(indexation_rate="0.02")
    recurring_post_due(today=date(2026, 1, 30))
    assert [(o.date, o.amount) for o in recurring_next(schedule=rent, today=date(2026, 1, 30), count=4)] == [
        (date(2026, 2, 28), cad("1000.00")),
        (date(2026, 3, 30), cad("1000.00")),
        (date(2026, 4, 30), cad("1020.00")),
        (date(2026, 5, 30), cad("1020.00")),
    ]
    rent = recurring_pause(schedule=rent, paused_from=date(2026, 4, 1), paused_by=finance_user)
    assert [o.date for o in recurring_next(schedule=rent, today=date(2026, 1, 31))] == [date(2026, 2, 28), date(2026, 3, 30)]


def test_the_occurrences_of_every_schedule_over_the_next_months_leave_out_what_is_posted(make_schedule):
    make_schedule()
    make_schedule(vendor="Promutuel Assurance", amount="2400.00", rhythm=Rhythm.YEARLY, start_date=date(2025, 6, 15))
    recurring_post_due(today=date(2025, 4, 30))
    assert [(o.schedule.vendor, o.date, o.amount) for o in recurring_between(first=date(2025, 4, 1), last=date(2025, 6, 30))] == [
        ("Immeubles Labelle inc.", date(2025, 5, 30), cad("1000.00")),
        ("Promutuel Assurance", date(2025, 6, 15), cad("2400.00")),
        ("Immeubles Labelle inc.", date(2025, 6, 30), cad("1000.00")),
    ]


def test_a_pools_recurring_total_for_its_period_beside_its_budget(make_schedule, joined, finance_user):
    assert pool_recurring_budget(pool=joined) is None
    # Monthly from 30 April 2025 over the pool's year (to 31 March 2026): twelve rents.
    rent = make_schedule(amount="800.00")
    budget = pool_recurring_budget(pool=joined)
    assert (budget.total, budget.budgeted, budget.difference) == (cad("9600.00"), cad("10000.00"), cad("-400.00"))
    recurring_post_due(today=date(2025, 5, 30))
    recurring_amend(schedule=rent, effective_from=date(2025, 5, 1), amount=cad("900.00"), amended_by=finance_user)
    # The amendment from 1 May leaves 30 April and 30 May as posted: 2 × 800 + 10 × 900.
    assert pool_recurring_budget(pool=joined).total == cad("10600.00")
    recurring_end(schedule=rent, end_date=date(2025, 12, 31), ended_by=finance_user)
    assert pool_recurring_budget(pool=joined).total == cad("7900.00")  # 2 × 800 + 7 × 900


def test_a_schedule_outside_the_pools_period_does_not_count(make_schedule, joined):
    make_schedule(start_date=date(2026, 4, 30))
    assert pool_recurring_budget(pool=joined) is None
