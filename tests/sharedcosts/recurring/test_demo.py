"""The demo's recurring expenses: scheduled once, posted by the daily run."""

from datetime import date

import pytest

from sharedcosts.recurring.models import RecurringExpense, Rhythm
from sharedcosts.recurring.run import recurring_post_due
from sharedcosts.recurring.selectors import pool_recurring_budget

from ..conftest import cad

pytestmark = pytest.mark.django_db


def test_the_demo_schedules_a_monthly_rent_and_a_yearly_insurance_once():
    from ledger.demo import ledger_demo_seed
    from sharedcosts.demo import MOBILE, PREMISES, sharedcosts_demo_seed

    today = date(2025, 6, 15)
    demo = ledger_demo_seed(today=today)
    pools = sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=today)
    sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=today)
    rent = RecurringExpense.objects.get(pool=pools[PREMISES])
    insurance = RecurringExpense.objects.get(pool=pools[MOBILE])
    assert (rent.rhythm, rent.amount, rent.start_date) == (Rhythm.MONTHLY, cad("3500.00"), date(2026, 4, 1))
    assert (insurance.rhythm, insurance.amount, insurance.start_date) == (Rhythm.YEARLY, cad("2400.00"), date(2025, 4, 15))
    assert pool_recurring_budget(pool=pools[MOBILE]).difference == cad("-33600.00")
    # The insurance of 15 April 2025 and 2026, the rent of 1 April and 1 May 2026.
    assert recurring_post_due(today=date(2026, 5, 1)).posted == 4
