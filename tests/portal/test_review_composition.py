"""The year's review: grants received and net position, groups across pools, bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from grants.services import grants_received_account
from ledger.models import AccountType, Party, PartyKind, Sector, TransactionKind
from ledger.services import Line, account_get_or_create, transaction_post
from portal.review.composition import ReviewError, fairness_review, review_what_if
from sharedcosts.models import CostPool, Participation, PoolKind
from sharedcosts.services import allocation_compute

from ..sharedcosts.conftest import cad, declare

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def parties(party, other_party):
    cegep = Party.objects.create(name="Cégep de Saint-Jérôme", kind=PartyKind.EDUCATION, sector=Sector.SUD)
    return [party, other_party, cegep]


@pytest.fixture
def joined(parties) -> CostPool:
    """Premises shared in proportion to means 100 000, 200 000 and 200 000."""
    pool = CostPool.objects.create(
        kind=PoolKind.PREMISES, name="Locaux partagés", budgeted_cost=cad("10000.00"),
        start_date=date(2025, 4, 1), end_date=date(2026, 3, 31), rule="proportional",
    )
    for member, value in zip(parties, ["100000", "200000", "200000"], strict=True):
        Participation.objects.create(pool=pool, party=member)
        declare(member, value)
    return pool


def _line(lines, party):
    return next(line for line in lines if line.party == party)


def _grant(party, amount, day=date(2025, 6, 1), key="g"):
    """A payment into the party's grants received account, as grants names it."""
    source = account_get_or_create(code="SITE-FUND", name="Fonds", type=AccountType.ASSET, currency="CAD")
    received = grants_received_account(party=party, currency="CAD")
    transaction_post(
        lines=[Line(source, -cad(amount)), Line(received, cad(amount))],
        date=day,
        kind=TransactionKind.DISBURSEMENT,
        idempotency_key=f"test:{key}:{party.pk}",
    )


def test_grants_received_in_the_year_and_net_position(joined, parties):
    _grant(parties[0], "5000.00")
    _grant(parties[0], "700.00", day=date(2026, 4, 1), key="next-year")  # another fiscal year
    review = fairness_review(start_year=YEAR)
    overall = _line(review.by_party[0].lines, parties[0])
    assert overall.grants == cad("5000.00")
    assert overall.net == cad("3000.00")  # 5 000 received − 2 000 borne
    in_pool = _line(review.pools[0].lines, parties[0])
    assert (in_pool.grants, in_pool.net) == (cad("5000.00"), cad("3000.00"))


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


def test_the_what_if_lines_carry_the_grants_of_the_pools_year(joined, parties):
    _grant(parties[0], "5000.00")
    result = review_what_if(pool=joined, rule="equal", params={})
    small = next(line for line in result.lines if line.party == parties[0])
    assert small.proposed.cost == cad("3333.34") and small.proposed.grants == cad("5000.00")
    assert small.current.net == cad("3000.00")


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
