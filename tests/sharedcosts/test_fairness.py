"""Fairness per pool: ratios, flags, the basis of the shares, what-if, bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ledger.dates import add_months
from sharedcosts.errors import SharedCostsError
from sharedcosts.fairness import STALE_MONTHS, pool_what_if, pools_fairness, ratio_rounded, ratio_text
from sharedcosts.models import Allocation, CostPool, Participation, PoolKind
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post

from .conftest import cad, declare

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _line(lines, party):
    return next(line for line in lines if line.party == party)


def _fairness(pool):
    (result,) = pools_fairness(pools=[pool])
    return result


def test_proportional_pool_is_fair_and_unflagged(joined, parties):
    pool = _fairness(joined)
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
    with translation.override("fr-ca"):
        pool = _fairness(joined)
    assert pool.basis == "draft"
    small = _line(pool.lines, parties[0])
    assert small.cost == cad("3333.34")
    assert small.effort_ratio.quantize(Decimal("0.01")) == Decimal("1.67")
    assert [flag.code for flag in small.flags] == ["above_tolerance"]
    assert "1,67" in small.flags[0].message and "0,80 à 1,25" in small.flags[0].message
    assert "tolérance" in small.flags[0].message
    big = _line(pool.lines, parties[1])
    assert big.flags == []  # 0.83 is within 0.80–1.25
    joined.tolerance_low = Decimal("0.90")
    joined.save()
    big = _line(_fairness(joined).lines, parties[1])
    assert [flag.code for flag in big.flags] == ["below_tolerance"]


@pytest.mark.parametrize(
    ("ratio", "rounded"),
    [(Decimal("0.659"), Decimal("0.66")), (Decimal("0.655"), Decimal("0.66")), (Decimal("0.6549"), Decimal("0.65")),
     (Decimal("3.895"), Decimal("3.90")), (Decimal("1.6666"), Decimal("1.67"))],
)
def test_an_effort_ratio_is_rounded_to_the_hundredth_half_up_never_cut(ratio, rounded):
    assert ratio_rounded(ratio) == rounded


@pytest.mark.parametrize(("language", "text"), [("fr-ca", "0,66"), ("en", "0.66")])
def test_an_effort_ratio_reads_as_the_reader_writes_it(language, text):
    with translation.override(language):
        assert ratio_text(Decimal("0.659")) == text


def test_posted_allocation_is_the_basis(joined, finance_user, administrator, second_administrator):
    allocation = allocation_compute(pool=joined, prepared_by=administrator)
    allocation_approve(allocation=allocation, approved_by=second_administrator)
    allocation_post(allocation=allocation, posted_by=administrator, date=date(2025, 5, 1))
    allocation_compute(pool=joined, prepared_by=finance_user)  # a newer draft does not replace the posted one
    pool = _fairness(joined)
    assert pool.basis == "posted" and pool.allocation == allocation


def test_missing_and_stale_means_are_flagged(pool, parties):
    for member in parties:
        Participation.objects.create(pool=pool, party=member)
    declare(parties[0], "100000")
    declare(parties[1], "200000", as_of=date(2023, 9, 30))  # 18 months and a day before 2025-04-01
    result = _fairness(pool)
    assert [flag.code for flag in _line(result.lines, parties[2]).flags] == ["no_means"]
    assert "stale_means" in [flag.code for flag in _line(result.lines, parties[1]).flags]
    assert "No means declared" in result.error  # no shares can be computed yet


def test_means_are_stale_from_the_same_day_18_months_before_the_pool_starts():
    assert STALE_MONTHS == 18
    assert add_months(date(2025, 4, 1), -STALE_MONTHS) == date(2023, 10, 1)
    assert add_months(date(2025, 8, 31), -STALE_MONTHS) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)


def test_pools_fairness_takes_five_queries_however_many_pools(joined, parties, finance_user):
    other = CostPool.objects.create(
        kind=PoolKind.EVENT, name="Soirée", budgeted_cost=cad("1000.00"),
        start_date=date(2025, 9, 1), end_date=date(2025, 9, 1), rule="equal",
    )
    for member in parties:
        Participation.objects.create(pool=other, party=member)
    allocation_compute(pool=other, prepared_by=finance_user)
    with CaptureQueriesContext(connection) as queries:
        results = pools_fairness(pools=[joined, other])
    assert [result.basis for result in results] == ["computed", "draft"]
    assert len(queries) == 5
    assert pools_fairness(pools=[]) == []


def test_what_if_shows_new_shares_beside_the_current_without_writing(joined, parties):
    before = (Allocation.objects.count(), CostPool.objects.values_list("rule", "rule_params").get(pk=joined.pk))
    result = pool_what_if(pool=joined, rule="equal", params={})
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
    with pytest.raises(SharedCostsError) as refused:
        pool_what_if(pool=joined, rule=rule, params=params)
    assert expected in refused.value.messages[0]
