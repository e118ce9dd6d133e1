from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from ledger.models import Entry, Transaction, TransactionKind
from sharedcosts.models import CostPool, Expense, PoolKind
from sharedcosts.selectors import pool_balances, settlement_plan
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post
from sharedcosts.travel.errors import TravelError
from sharedcosts.travel.models import AttendanceMode, Meeting, MeetingFormat, RoadDistance
from sharedcosts.travel.services import (
    Presence,
    distance_record,
    meeting_record,
    municipality_record,
    rate_record,
    travel_equalise,
)

from ..conftest import declare

pytestmark = pytest.mark.django_db

YEAR = {"start": date(2025, 4, 1), "end": date(2026, 3, 31)}


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


def written() -> tuple[int, ...]:
    return (CostPool.objects.count(), Expense.objects.count(), Transaction.objects.count(), Meeting.objects.count())


def test_a_distance_entered_either_way_is_one_row_and_can_be_corrected(places):
    jerome, agathe = places["Saint-Jérôme"], places["Sainte-Agathe-des-Monts"]
    row = distance_record(one=agathe, other=jerome, km=Decimal("52.5"))
    assert RoadDistance.objects.filter(pk=row.pk).values_list("first", "second", "km").get() == (
        min(jerome.pk, agathe.pk), max(jerome.pk, agathe.pk), Decimal("52.5")
    )
    assert RoadDistance.objects.count() == 3


@pytest.mark.parametrize(
    ("km", "code"), [(Decimal("0"), "km_out_of_range"), (Decimal("-4"), "km_out_of_range"), (Decimal("1.25"), "km_out_of_range"), (1.5, "invalid_km")]
)
def test_a_bad_distance_is_refused_and_nothing_is_written(places, km, code):
    with pytest.raises(TravelError) as refused:
        distance_record(one=places["Saint-Jérôme"], other=municipality_record(name="Lachute"), km=km)
    assert refused.value.code == code
    assert RoadDistance.objects.count() == 3


def test_a_place_is_no_distance_from_itself(places):
    with pytest.raises(TravelError) as refused:
        distance_record(one=places["Mont-Laurier"], other=places["Mont-Laurier"], km=Decimal("3"))
    assert refused.value.code == "same_place"


def test_a_rate_must_be_positive_and_sourced(db):
    with pytest.raises(TravelError):
        rate_record(effective_from=date(2025, 1, 1), per_km=cad("0"), source="Politique")
    with pytest.raises(TravelError):
        rate_record(effective_from=date(2025, 1, 1), per_km=cad("0.45"), source=" ")


@pytest.mark.parametrize(
    ("meeting_format", "presence", "code"),
    [
        (MeetingFormat.REMOTE, "in_person", "in_person_at_remote"),
        (MeetingFormat.IN_PERSON, "remote", "remote_at_in_person"),
        (MeetingFormat.HYBRID, "no_vehicle", "no_vehicle"),
        (MeetingFormat.HYBRID, "remote_with_car", "remote_vehicles"),
    ],
)
def test_an_attendance_that_does_not_fit_its_meeting_is_refused(table, trio, meeting_format, presence, code):
    b = trio["B"]
    presences = {
        "in_person": Presence(b),
        "remote": Presence(b, AttendanceMode.REMOTE, 0),
        "no_vehicle": Presence(b, AttendanceMode.IN_PERSON, 0),
        "remote_with_car": Presence(b, AttendanceMode.REMOTE, 1),
    }
    before = written()
    with pytest.raises(TravelError) as refused:
        meeting_record(group=table, date=date(2025, 5, 10), host=trio["A"], format=meeting_format, presences=[presences[presence]])
    assert refused.value.code == code
    assert written() == before


def test_the_host_and_the_attendees_are_members(table, trio, other_party):
    with pytest.raises(TravelError) as refused:
        meeting_record(group=table, date=date(2025, 5, 10), host=other_party)
    assert refused.value.code == "host_not_member"
    with pytest.raises(TravelError) as refused:
        meeting_record(group=table, date=date(2025, 5, 10), host=trio["A"], presences=[Presence(other_party)])
    assert refused.value.code == "not_member"
    assert other_party.name in refused.value.messages[0]


@pytest.fixture
def travelled(table, trio):
    """The year of the worked example: A 100.00 (200 km), B 110.00 (200 km), C 340.00 (680 km)."""
    a, b, c = trio["A"], trio["B"], trio["C"]
    meeting_record(group=table, date=date(2025, 5, 10), host=a, presences=[Presence(a), Presence(b), Presence(c)])
    meeting_record(group=table, date=date(2025, 9, 12), host=b, presences=[Presence(a, vehicles=2), Presence(b), Presence(c)])
    meeting_record(
        group=table,
        date=date(2025, 11, 14),
        host=a,
        format=MeetingFormat.HYBRID,
        presences=[Presence(a), Presence(b), Presence(c, AttendanceMode.REMOTE, 0)],
    )
    for party in trio.values():
        declare(party, "100000")
    return table


def test_equalising_posts_each_members_travel_then_the_equal_rule_shares_the_total(
    travelled, trio, finance_user, administrator
):
    a, b, c = trio["A"], trio["B"], trio["C"]
    equalisation = travel_equalise(group=travelled, prepared_by=finance_user, rule="equal", **YEAR)
    pool = equalisation.pool
    assert (pool.kind, pool.budgeted_cost, pool.start_date, pool.end_date) == (
        PoolKind.TRAVEL, cad("550.00"), date(2025, 4, 1), date(2026, 3, 31)
    )
    assert equalisation.km == Decimal("1080.0")
    expenses = {e.payer: e.amount for e in Expense.objects.filter(pool=pool)}
    assert expenses == {a: cad("100.00"), b: cad("110.00"), c: cad("340.00")}
    assert set(Transaction.objects.filter(kind=TransactionKind.EXPENSE).values_list("date", flat=True)) == {date(2026, 3, 31)}
    assert pool_balances(pool=pool) == {a.pk: cad("100.00"), b.pk: cad("110.00"), c.pk: cad("340.00")}

    allocation = allocation_compute(pool=pool, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    allocation_post(allocation=allocation, posted_by=administrator, date=date(2026, 3, 31))
    # 550.00 / 3 = 183.33 and one cent left over, which goes to the smallest id (A).
    assert {s.party: s.amount for s in allocation.shares.all()} == {a: cad("183.34"), b: cad("183.33"), c: cad("183.33")}
    assert pool_balances(pool=pool) == {a.pk: cad("-83.34"), b.pk: cad("-73.33"), c.pk: cad("156.67")}
    assert settlement_plan(pool=pool) == [(a, c, cad("83.34")), (b, c, cad("73.33"))]
    cost = Entry.objects.filter(account__code=pool.cost_account_code)
    assert sum((e.amount for e in cost), cad("0.00")) == cad("0.00")


def test_a_period_is_equalised_once(travelled, finance_user):
    travel_equalise(group=travelled, prepared_by=finance_user, **YEAR)
    before = written()
    with pytest.raises(TravelError) as refused:
        travel_equalise(group=travelled, prepared_by=finance_user, start=date(2025, 10, 1), end=date(2026, 3, 31))
    assert refused.value.code == "period_overlaps"
    assert written() == before


def test_a_period_without_travel_or_with_a_missing_distance_writes_nothing(travelled, trio, finance_user, places):
    before = written()
    with pytest.raises(TravelError) as refused:
        travel_equalise(group=travelled, prepared_by=finance_user, start=date(2024, 4, 1), end=date(2025, 3, 31))
    assert refused.value.code == "no_travel"
    RoadDistance.objects.filter(km=Decimal("145.0")).delete()
    with pytest.raises(TravelError) as refused:
        travel_equalise(group=travelled, prepared_by=finance_user, **YEAR)
    assert refused.value.code == "missing_distance"
    assert "Sainte-Agathe-des-Monts" in refused.value.messages[0] and "Mont-Laurier" in refused.value.messages[0]
    assert written() == before


def test_a_group_named_with_a_vowel_is_written_d_apostrophe_in_french(table, trio, other_party):
    from django.utils import translation

    table.name = "Assemblée des partenaires"
    with translation.override("fr-ca"), pytest.raises(TravelError) as refused:
        meeting_record(group=table, date=date(2025, 5, 10), host=trio["A"], presences=[Presence(other_party)])
    assert refused.value.messages == [f"{other_party.name} n’est pas membre d’Assemblée des partenaires."]
    with translation.override("en"), pytest.raises(TravelError) as refused:
        meeting_record(group=table, date=date(2025, 5, 10), host=trio["A"], presences=[Presence(other_party)])
    assert refused.value.messages == [f"{other_party.name} is not a member of Assemblée des partenaires."]


def test_each_travel_expense_says_its_km_and_period_as_the_reader_writes_them(travelled, trio, finance_user):
    equalisation = travel_equalise(group=travelled, prepared_by=finance_user, rule="equal", **YEAR)
    descriptions = {e.payer: e.description for e in Expense.objects.filter(pool=equalisation.pool)}
    assert descriptions[trio["C"]] == "680\u00a0km du 1er avril 2025 au 31 mars 2026, 340,00\u00a0$"
    assert equalisation.pool.name == "Déplacements de Table de concertation jeunesse, du 1er avril 2025 au 31 mars 2026"
