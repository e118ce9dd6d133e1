"""The travel of the demo territory: its places, a year of the concertation table's meetings, that year equalised."""

from datetime import date

import pytest
from moneyed import Money

from ledger.models import Transaction
from sharedcosts.models import AllocationStatus, Expense, PoolKind
from sharedcosts.selectors import pool_balances
from sharedcosts.travel.models import Meeting, MeetingFormat, Municipality, RoadDistance, TravelEqualisation
from sharedcosts.travel.rotation import group_rotation

pytestmark = pytest.mark.django_db


def test_the_demo_has_its_places_a_year_of_meetings_and_that_year_equalised():
    from ledger.demo import ledger_demo_seed
    from sharedcosts.demo import sharedcosts_demo_seed
    from sharedcosts.travel.demo import TABLE

    today = date(2025, 6, 15)
    demo = ledger_demo_seed(today=today)
    sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=today)
    names = set(Municipality.objects.values_list("name", flat=True))
    assert {"Saint-Jérôme", "Mirabel", "Sainte-Agathe-des-Monts", "Mont-Tremblant", "Mont-Laurier", "Lachute", "Saint-Sauveur", "Rivière-Rouge"} <= names
    assert RoadDistance.objects.count() == len(names) * (len(names) - 1) // 2  # every pair, once
    meetings = Meeting.objects.filter(group__name=TABLE)
    # 12 April 2024 to 12 June 2025, but July.
    assert meetings.count() == 14
    assert set(meetings.values_list("format", flat=True)) == set(MeetingFormat.values)

    equalisation = TravelEqualisation.objects.get()
    pool = equalisation.pool
    assert (pool.kind, pool.rule, pool.start_date, pool.end_date) == (PoolKind.TRAVEL, "proportional", date(2024, 4, 1), date(2025, 3, 31))
    rotation = group_rotation(group=equalisation.group, start=pool.start_date, end=pool.end_date)
    assert pool.budgeted_cost == rotation.total_cost
    assert sum((e.amount for e in Expense.objects.filter(pool=pool)), Money("0.00", "CAD")) == rotation.total_cost
    assert pool.allocations.get().status == AllocationStatus.POSTED
    assert sum(pool_balances(pool=pool).values(), Money("0.00", "CAD")) == Money("0.00", "CAD")
    assert rotation.suggested is not None and rotation.suggested.host.name != "Alliance arc-en-ciel des Laurentides"
    assert Expense.objects.filter(pool=pool).first().vendor.startswith("Déplacements")

    transactions = Transaction.objects.count()
    sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=today)
    assert (Transaction.objects.count(), Meeting.objects.count()) == (transactions, 14)
