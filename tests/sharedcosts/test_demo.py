"""The shared-cost part of the demo territory."""

from datetime import date

import pytest

from ledger.models import Account, Transaction, TransactionKind
from sharedcosts.models import Allocation, AllocationStatus
from sharedcosts.selectors import pool_balances

from .conftest import cad
from .services.helpers import written

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_four_posted_pools_and_runs_again_as_a_no_op():
    from ledger.demo import ledger_demo_seed
    from sharedcosts.demo import PREMISES, SITE, sharedcosts_demo_seed
    from sharedcosts.selectors import settlement_plan

    today = date(2025, 6, 15)
    demo = ledger_demo_seed(today=today)
    pools = sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=today)
    first = written()
    assert len(pools) == 4
    assert set(Allocation.objects.values_list("status", flat=True)) == {AllocationStatus.POSTED}
    premises = pools[PREMISES]
    balances = pool_balances(pool=premises)
    assert sum(balances.values(), cad("0.00")) == cad("0.00")
    cost = Account.objects.get(code=premises.cost_account_code)
    assert sum((e.amount for e in cost.entries.all()), cad("0.00")) == cad("0.00")
    smj = demo["parties"]["CISSS — Santé mentale jeunesse (SMJ)"]
    assert Allocation.objects.get(pool=premises).shares.get(party=smj).amount == cad("20000.00")
    assert balances[smj.pk] == cad("0.00")
    assert all(payee == demo["parties"][SITE] for _payer, payee, _amount in settlement_plan(pool=premises))
    assert Transaction.objects.filter(kind=TransactionKind.IN_KIND).count() == 1
    assert Transaction.objects.filter(kind=TransactionKind.SETTLEMENT).count() == 1
    from sharedcosts.demo import EVENT
    from sharedcosts.selectors import settlement_plan_for_year, year_pending_pools

    assert year_pending_pools(start_year=2025) == [pools[EVENT]]
    assert settlement_plan_for_year(start_year=2025)["CAD"]

    ledger_demo_seed(today=today)
    sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=today)
    assert written() == first
