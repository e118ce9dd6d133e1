from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from moneyed import Money

from sharedcosts.models import CostPool, Expense, Participation, PoolKind
from sharedcosts.selectors import (
    allocation_fairness,
    pool_balances,
    rule_params_in_words,
    settlement_plan,
    settlement_plan_for_year,
    year_balances,
    year_pending_pools,
)
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post, expense_post

from .conftest import cad

pytestmark = pytest.mark.django_db

DAY = date(2025, 5, 1)


def post(pool, finance_user, administrator):
    allocation = allocation_compute(pool=pool, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    return allocation_post(allocation=allocation, posted_by=administrator, date=DAY)


def pay(pool, payer, amount, finance_user):
    expense_post(
        expense=Expense.objects.create(pool=pool, payer=payer, vendor="Loyer", date=DAY, amount=cad(amount)),
        posted_by=finance_user,
    )


def test_balances_are_zero_before_anything_is_posted(joined, parties):
    assert pool_balances(pool=joined) == dict.fromkeys((p.pk for p in parties), cad("0.00"))


def test_pool_balances_take_two_queries(joined, parties, finance_user, administrator, django_assert_num_queries):
    post(joined, finance_user, administrator)
    with django_assert_num_queries(2):
        balances = pool_balances(pool=joined)
    assert list(balances) == [p.pk for p in sorted(parties, key=lambda p: p.name)]


def test_the_settlement_plan_clears_the_pool(joined, parties, finance_user, administrator):
    post(joined, finance_user, administrator)
    pay(joined, parties[1], "10000.00", finance_user)
    assert settlement_plan(pool=joined) == [
        (parties[0], parties[1], cad("2000.00")),
        (parties[2], parties[1], cad("4000.00")),
    ]


def test_positions_add_the_payments_of_every_fiscal_year(joined, parties, finance_user, administrator):
    post(joined, finance_user, administrator)
    for day, amount in ((date(2025, 3, 31), "4000.00"), (date(2026, 6, 1), "6000.00")):
        expense_post(
            expense=Expense.objects.create(pool=joined, payer=parties[1], vendor="Loyer", date=day, amount=cad(amount)),
            posted_by=finance_user,
        )
    assert pool_balances(pool=joined) == {
        parties[0].pk: cad("-2000.00"),
        parties[1].pk: cad("6000.00"),
        parties[2].pk: cad("-4000.00"),
    }
    assert settlement_plan(pool=joined) == [
        (parties[0], parties[1], cad("2000.00")),
        (parties[2], parties[1], cad("4000.00")),
    ]


@pytest.fixture
def second_pool(parties):
    pool = CostPool.objects.create(
        kind=PoolKind.TRAINING,
        name="Formation",
        budgeted_cost=cad("3000.00"),
        start_date=date(2025, 9, 1),
        end_date=date(2025, 9, 30),
        rule="equal",
    )
    for member in parties:
        Participation.objects.create(pool=pool, party=member)
    return pool


def test_the_year_plan_nets_positions_across_pools(joined, second_pool, parties, finance_user, administrator):
    post(joined, finance_user, administrator)  # shares 2000 / 4000 / 4000
    pay(joined, parties[1], "10000.00", finance_user)
    post(second_pool, finance_user, administrator)  # shares 1000 each
    pay(second_pool, parties[0], "3000.00", finance_user)
    # First pool: -2000, +6000, -4000; second: +2000, -1000, -1000.
    assert year_balances(start_year=2025) == {
        "CAD": {parties[0]: cad("0.00"), parties[1]: cad("5000.00"), parties[2]: cad("-5000.00")}
    }
    assert settlement_plan_for_year(start_year=2025) == {"CAD": [(parties[2], parties[1], cad("5000.00"))]}
    assert settlement_plan_for_year(start_year=2024) == {}


def test_pools_in_other_currencies_are_planned_apart(joined, parties, finance_user, administrator):
    usd = CostPool.objects.create(
        kind=PoolKind.EVENT, name="Événement", budgeted_cost=Money("100.00", "USD"),
        start_date=date(2025, 6, 1), end_date=date(2025, 6, 1), rule="equal",
    )
    for member in parties[:2]:
        Participation.objects.create(pool=usd, party=member)
    post(usd, finance_user, administrator)
    expense_post(
        expense=Expense.objects.create(pool=usd, payer=parties[0], vendor="Traiteur", date=DAY, amount=Money("100.00", "USD")),
        posted_by=finance_user,
    )
    plans = settlement_plan_for_year(start_year=2025)
    assert plans["USD"] == [(parties[1], parties[0], Money("50.00", "USD"))]
    assert plans["CAD"] == []


def test_fairness_flags_parties_outside_the_band(joined, parties, finance_user):
    joined.rule = "equal"
    joined.save()
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    lines = {line.party: line for line in allocation_fairness(allocation=allocation)}
    # Equal shares of 1/3 against means fractions 1/5, 2/5, 2/5.
    assert lines[parties[0]].effort_ratio.quantize(Decimal("0.001")) == Decimal("1.667")
    assert lines[parties[0]].flagged
    assert lines[parties[1]].effort_ratio.quantize(Decimal("0.001")) == Decimal("0.833")
    assert not lines[parties[1]].flagged


def test_a_pool_not_yet_paid_is_left_out_of_the_year_plan(joined, second_pool, parties, finance_user, administrator):
    post(joined, finance_user, administrator)
    pay(joined, parties[1], "10000.00", finance_user)
    post(second_pool, finance_user, administrator)  # nobody paid the training yet
    assert year_pending_pools(start_year=2025) == [second_pool]
    assert settlement_plan_for_year(start_year=2025) == {
        "CAD": [(parties[0], parties[1], cad("2000.00")), (parties[2], parties[1], cad("4000.00"))]
    }


def test_year_plan_takes_few_queries(joined, second_pool, parties, finance_user, administrator, django_assert_max_num_queries):
    post(joined, finance_user, administrator)
    post(second_pool, finance_user, administrator)
    with django_assert_max_num_queries(2):
        settlement_plan_for_year(start_year=2025)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fr-ca",
            [
                ("part fixe répartie à parts égales", "12,5\xa0%"),
                ("seuil de capacité", "1\xa0250\xa0000,00"),
                ("montant convenu de chaque partenaire", "Maison des jeunes de Saint-Jérôme\xa0: 1\xa0200,00\xa0$; 999\xa0: 5,00\xa0$"),
                ("pourcentage de chaque partenaire", "Maison des jeunes de Saint-Jérôme\xa0: 40\xa0%"),
                ("usage", "beaucoup"),
            ],
        ),
        (
            "en",
            [
                ("fixed part shared equally", "12.5%"),
                ("threshold of means", "1,250,000.00"),
                ("agreed amount of each party", "Maison des jeunes de Saint-Jérôme: $1,200.00; 999: $5.00"),
                ("percentage of each party", "Maison des jeunes de Saint-Jérôme: 40%"),
                ("usage", "beaucoup"),
            ],
        ),
    ],
)
def test_rule_parameters_are_named_in_words_and_written_as_the_reader_writes_numbers(
    party, django_assert_num_queries, language, words
):
    params = {
        "base_fraction": "0.125",
        "threshold": "1250000",
        "amounts": {str(party.pk): "1200", "999": "5"},
        "percentages": {str(party.pk): "40"},
        "usage": "beaucoup",
    }
    with translation.override(language), django_assert_num_queries(1):
        assert rule_params_in_words(params=params, currency="CAD") == words


def test_rule_parameters_without_parties_ask_nothing(django_assert_num_queries):
    with translation.override("fr-ca"), django_assert_num_queries(0):
        assert rule_params_in_words(params={"threshold": "100000"}, currency="CAD") == [("seuil de capacité", "100\xa0000,00")]
