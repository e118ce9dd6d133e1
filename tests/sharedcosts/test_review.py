"""The fairness review: ratios, flags, groups, grants, what-if, bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ledger.models import AccountType, Party, PartyKind, Sector, TransactionKind
from ledger.services import Line, account_get_or_create, transaction_post
from sharedcosts.models import Allocation, CostPool, Participation, PoolKind
from sharedcosts.review import ReviewError, fairness_review, months_before, parse_params, what_if
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post

from .conftest import cad, declare

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _line(lines, party):
    return next(line for line in lines if line.party == party)


def _grant(party, amount, day=date(2025, 6, 1), key="g"):
    source = account_get_or_create(code="SITE-FUND", name="Fonds", type=AccountType.ASSET, currency="CAD")
    received = account_get_or_create(
        code=f"GR-{party.pk}-CAD", name="Subventions", type=AccountType.INCOME, currency="CAD", party=party
    )
    transaction_post(
        lines=[Line(source, -cad(amount)), Line(received, cad(amount))],
        date=day,
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key=f"test:{key}:{party.pk}",
    )


def test_proportional_pool_is_fair_and_unflagged(joined, parties):
    review = fairness_review(start_year=YEAR)
    (pool,) = review.pools
    assert pool.basis == "computed" and pool.error == ""
    assert pool.total == cad("10000.00")
    first = _line(pool.lines, parties[0])
    assert first.means == Decimal("100000") and first.cost == cad("2000.00")
    assert first.means_share == Decimal("0.2") and first.cost_share == Decimal("0.2")
    assert all(line.effort_ratio == 1 and not line.flags for line in pool.lines)


def test_equal_split_flags_the_party_outside_the_tolerance_with_the_reason(joined, parties, finance_user):
    joined.rule = "equal"
    joined.save()
    allocation_compute(pool=joined, prepared_by=finance_user)
    review = fairness_review(start_year=YEAR)
    (pool,) = review.pools
    assert pool.basis == "draft"
    small = _line(pool.lines, parties[0])
    assert small.cost == cad("3333.34")
    assert small.effort_ratio.quantize(Decimal("0.01")) == Decimal("1.67")
    assert [flag.code for flag in small.flags] == ["above_tolerance"]
    assert "1.67" in small.flags[0].message and "0.80" in small.flags[0].message
    big = _line(pool.lines, parties[1])
    assert big.flags == []  # 0.83 is within 0.80–1.25
    joined.tolerance_low = Decimal("0.90")
    joined.save()
    big = _line(fairness_review(start_year=YEAR).pools[0].lines, parties[1])
    assert [flag.code for flag in big.flags] == ["below_tolerance"]


def test_posted_allocation_is_the_basis(joined, finance_user, administrator, second_administrator):
    allocation = allocation_compute(pool=joined, prepared_by=administrator)
    allocation_approve(allocation=allocation, approved_by=second_administrator)
    allocation_post(allocation=allocation, posted_by=administrator, date=date(2025, 5, 1))
    allocation_compute(pool=joined, prepared_by=finance_user)  # a newer draft does not replace the posted one
    pool = fairness_review(start_year=YEAR).pools[0]
    assert pool.basis == "posted" and pool.allocation == allocation


def test_missing_and_stale_means_are_flagged(pool, parties):
    for member in parties:
        Participation.objects.create(pool=pool, party=member)
    declare(parties[0], "100000")
    declare(parties[1], "200000", as_of=date(2023, 9, 30))  # 18 months and a day before 2025-04-01
    review = fairness_review(start_year=YEAR)
    lines = review.pools[0].lines
    assert [flag.code for flag in _line(lines, parties[2]).flags] == ["no_means"]
    assert "stale_means" in [flag.code for flag in _line(lines, parties[1]).flags]
    assert "No means declared" in review.pools[0].error  # no shares can be computed yet


def test_grants_received_in_the_year_and_net_position(joined, parties):
    _grant(parties[0], "5000.00")
    _grant(parties[0], "700.00", day=date(2026, 4, 1), key="next-year")  # another fiscal year
    review = fairness_review(start_year=YEAR)
    overall = _line(review.by_party[0].lines, parties[0])
    assert overall.grants == cad("5000.00")
    assert overall.net == cad("3000.00")  # 5 000 received − 2 000 borne


def test_sectors_and_kinds_sum_the_parties(joined, parties):
    review = fairness_review(start_year=YEAR)
    (by_sector,) = review.by_sector
    sud = next(line for line in by_sector.lines if line.key == Sector.SUD)
    assert sud.cost == cad("6000.00")  # the youth centre and the cégep, both in the South
    assert sud.effort_ratio == 1
    (by_kind,) = review.by_kind
    assert {line.key for line in by_kind.lines} == {PartyKind.COMMUNITY_YOUTH, PartyKind.STREET_WORK, PartyKind.EDUCATION}


def test_across_pools_weights_each_pools_means_by_its_cost(joined, parties):
    other = CostPool.objects.create(
        kind=PoolKind.EVENT, name="Soirée", budgeted_cost=cad("1000.00"),
        start_date=date(2025, 9, 1), end_date=date(2025, 9, 1), rule="equal",
    )
    Participation.objects.create(pool=other, party=parties[0])
    Participation.objects.create(pool=other, party=parties[1])
    review = fairness_review(start_year=YEAR)
    first = _line(review.by_party[0].lines, parties[0])
    # Fair cost: 2 000 (premises) + 1 000 × 1/3 (event) ; borne: 2 000 + 500.
    assert first.cost == cad("2500.00")
    assert first.effort_ratio.quantize(Decimal("0.0001")) == (Decimal(2500) / (Decimal(2000) + Decimal(1000) / 3)).quantize(
        Decimal("0.0001")
    )


def test_a_year_without_pools_is_refused(db):
    with pytest.raises(ReviewError) as refused:
        fairness_review(start_year=2030)
    assert "2030-2031" in refused.value.messages[0]


def test_what_if_shows_new_shares_beside_the_current_without_writing(joined, parties):
    before = (Allocation.objects.count(), CostPool.objects.values_list("rule", "rule_params").get(pk=joined.pk))
    result = what_if(pool=joined, rule="equal", params={})
    small = next(line for line in result.lines if line.party == parties[0])
    assert small.current.cost == cad("2000.00") and small.proposed.cost == cad("3333.34")
    assert small.difference == cad("1333.34")
    assert [flag.code for flag in small.proposed.flags] == ["above_tolerance"]
    assert (Allocation.objects.count(), CostPool.objects.values_list("rule", "rule_params").get(pk=joined.pk)) == before
    joined.refresh_from_db()
    assert joined.rule == "proportional"


@pytest.mark.parametrize(
    ("rule", "params", "expected"),
    [
        ("base_plus_proportional", {"base_fraction": "1.5"}, "from 0 to 1"),
        ("progressive", {"threshold": "900000"}, "above the threshold"),
        ("base_plus_proportional", {}, "needs base_fraction"),
        ("equal", {"base_fraction": "0.5"}, "takes no parameter"),
        ("usage", {}, "no usage"),
        ("magic", {}, "not an allocation rule"),
        ("fixed", {"percentages": {"1": "x"}}, "cannot be read"),
    ],
)
def test_what_if_refuses_infeasible_parameters(joined, rule, params, expected):
    with pytest.raises(ReviewError) as refused:
        what_if(pool=joined, rule=rule, params=params)
    assert expected in refused.value.messages[0]


def test_parse_params_refuses_bad_input():
    assert parse_params("") == {}
    assert parse_params('{"threshold": "1000"}') == {"threshold": "1000"}
    for text, expected in [("{", "not valid JSON"), ("[1]", "JSON object"), ('{"x": 1}', "Unknown parameters")]:
        with pytest.raises(ReviewError) as refused:
            parse_params(text)
        assert expected in refused.value.messages[0]


def test_months_before():
    assert months_before(date(2025, 4, 1), 18) == date(2023, 10, 1)
    assert months_before(date(2025, 8, 31), 18) == date(2024, 2, 29)
    assert months_before(date(2025, 1, 15), 1) == date(2024, 12, 15)


def _territory(n_parties: int, n_pools: int, finance_user) -> None:
    sectors, kinds = list(Sector.values), list(PartyKind.values)
    parties = Party.objects.bulk_create(
        Party(name=f"P{i:04d}", kind=kinds[i % len(kinds)], sector=sectors[i % len(sectors)]) for i in range(n_parties)
    )
    for party in parties:
        declare(party, str(100000 + party.pk * 1000))
    for n in range(n_pools):
        pool = CostPool.objects.create(
            kind=PoolKind.OTHER, name=f"Pool {n}", budgeted_cost=cad("50000.00"),
            start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), rule=("proportional", "equal")[n % 2],
        )
        Participation.objects.bulk_create(Participation(pool=pool, party=p) for p in parties[n::2] or parties)
        if n % 3 == 0:
            allocation_compute(pool=pool, prepared_by=finance_user)
    for party in parties[:5]:
        _grant(party, "1000.00", key=f"t{n_parties}")


def _count(start_year: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        fairness_review(start_year=start_year)
    return len(queries)


def test_the_review_takes_the_same_number_of_queries_small_or_large(finance_user):
    _territory(6, 3, finance_user)
    small = _count(YEAR)
    # The small territory moves to the year before; the large one (ten times the parties, twice the pools) is reviewed.
    CostPool.objects.update(start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))
    Party.objects.update(name=Concat(Value("old-"), F("name")))
    CostPool.objects.update(name=Concat(Value("old-"), F("name")))
    _territory(60, 6, finance_user)
    assert fairness_review(start_year=YEAR).by_party[0].lines.__len__() == 60
    large = _count(YEAR)
    assert small == large <= 8
